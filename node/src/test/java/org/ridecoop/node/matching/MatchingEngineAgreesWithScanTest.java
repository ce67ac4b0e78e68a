package org.ridecoop.node.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Long random sequences of everything that happens to an engine (drivers coming online, moving,
 * going offline, rides submitted, offers accepted, declined, left to expire, rides cancelled),
 * played on the engine as shipped and on one that ranks drivers by scanning them all. The ring
 * search keeps its own state (per-cell positions and reservation flags, cells kept when empty,
 * candidate lists reused from window to window), which a bug would let drift from the drivers'
 * own; the scan reads the drivers themselves. Every outcome must agree, and both must keep the
 * promises a rider and a driver see: one offer per driver, outstanding offers as answered.
 */
class MatchingEngineAgreesWithScanTest {

  private static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

  @Test
  void ringsAndScanDecideAlikeThroughRandomDays() {
    for (long seed = 1; seed <= 6; seed++) {
      playDay(seed);
    }
  }

  private static void playDay(long seed) {
    Random random = new Random(seed);
    MatchingEngine rings = new MatchingEngine(MatchingConfig.DEFAULT, CitySpeedEta.DEFAULT,
        new OptimalAssignment(), false);
    MatchingEngine scan = new MatchingEngine(MatchingConfig.DEFAULT, CitySpeedEta.DEFAULT,
        new OptimalAssignment(), true);
    // A small part of Paris, so rides compete for drivers and cells fill and empty.
    double spread = seed % 2 == 0 ? 1500 : 6000;
    int fleet = seed % 3 == 0 ? 12 : 150;
    Set<DriverId> online = new HashSet<>();
    Set<DriverId> onRide = new HashSet<>();
    Map<RideId, Offer> outstanding = new HashMap<>();
    List<RideId> known = new ArrayList<>();
    Instant now = T0;
    int nextRide = 0;
    int offers = 0;
    for (int step = 0; step < 4000; step++) {
      int action = random.nextInt(100);
      DriverId driver = new DriverId("d" + random.nextInt(fleet));
      LatLng somewhere = Places.offset(Places.HOTEL_DE_VILLE,
          (random.nextDouble() - 0.5) * spread, (random.nextDouble() - 0.5) * spread);
      if (action < 25) {
        if (!onRide.contains(driver)) {
          rings.driverOnline(driver, somewhere);
          scan.driverOnline(driver, somewhere);
          online.add(driver);
        }
      } else if (action < 40) {
        assertThat(rings.driverMoved(driver, somewhere))
            .isEqualTo(scan.driverMoved(driver, somewhere))
            .isEqualTo(online.contains(driver));
      } else if (action < 45) {
        assertThat(rings.driverOffline(driver)).isEqualTo(scan.driverOffline(driver))
            .isEqualTo(online.remove(driver));
        outstanding.values().removeIf(o -> o.driver().equals(driver));
      } else if (action < 70) {
        RideId ride = new RideId("r" + nextRide++);
        rings.submit(new RideRequest(ride, somewhere));
        scan.submit(new RideRequest(ride, somewhere));
        known.add(ride);
      } else if (action < 78 && !outstanding.isEmpty()) {
        Offer o = pick(outstanding, random);
        assertThat(rings.accepted(o.ride(), o.driver())).isTrue();
        assertThat(scan.accepted(o.ride(), o.driver())).isTrue();
        outstanding.remove(o.ride());
        online.remove(o.driver());
        onRide.add(o.driver());
      } else if (action < 84 && !outstanding.isEmpty()) {
        Offer o = pick(outstanding, random);
        assertThat(rings.declined(o.ride(), o.driver())).isTrue();
        assertThat(scan.declined(o.ride(), o.driver())).isTrue();
        outstanding.remove(o.ride());
      } else if (action < 87 && !known.isEmpty()) {
        RideId ride = known.get(random.nextInt(known.size()));
        assertThat(rings.cancel(ride)).isEqualTo(scan.cancel(ride));
        outstanding.remove(ride);
      } else if (action < 90 && !onRide.isEmpty()) {
        // A ride ends: the driver is free again somewhere else.
        DriverId back = onRide.iterator().next();
        onRide.remove(back);
        rings.driverOnline(back, somewhere);
        scan.driverOnline(back, somewhere);
        online.add(back);
      } else {
        // Windows close now and then; some late enough that offers expire first.
        now = now.plusMillis(random.nextInt(4) == 0 ? 16_000 : 250);
        Instant closing = now;
        outstanding.values().removeIf(o -> !o.expiresAt().isAfter(closing));
        List<MatchOutcome> a = rings.closeWindow(now);
        List<MatchOutcome> b = scan.closeWindow(now);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
          assertSame(a.get(i), b.get(i), seed, step);
          if (a.get(i) instanceof Offer o) {
            assertThat(online).as("offered to an online driver").contains(o.driver());
            assertThat(outstanding.values()).as("one offer per driver")
                .noneMatch(other -> other.driver().equals(o.driver()));
            outstanding.put(o.ride(), o);
            offers++;
          }
        }
      }
      assertThat(rings.outstandingOffers()).isEqualTo(scan.outstandingOffers())
          .isEqualTo(outstanding.size());
      assertThat(rings.waitingRides()).isEqualTo(scan.waitingRides());
      assertThat(rings.onlineDrivers()).isEqualTo(scan.onlineDrivers()).isEqualTo(online.size());
    }
    assertThat(offers).as("the day made offers").isGreaterThan(100);
  }

  /** Same decision; the scan does not compute rings, so those are left out. */
  private static void assertSame(MatchOutcome a, MatchOutcome b, long seed, int step) {
    String where = "seed " + seed + " step " + step;
    if (a instanceof Offer x && b instanceof Offer y) {
      assertThat(x.ride()).as(where).isEqualTo(y.ride());
      assertThat(x.driver()).as(where).isEqualTo(y.driver());
      assertThat(x.expiresAt()).isEqualTo(y.expiresAt());
      assertThat(x.attempt()).isEqualTo(y.attempt());
      OfferReason p = x.why();
      OfferReason q = y.why();
      assertThat(new int[] {p.etaSeconds(), p.distanceMetres(), p.rank(), p.candidates(),
          p.nearestEtaSeconds(), p.competingRides()}).as(where)
          .containsExactly(q.etaSeconds(), q.distanceMetres(), q.rank(), q.candidates(),
              q.nearestEtaSeconds(), q.competingRides());
    } else {
      assertThat(a).as(where).isEqualTo(b);
    }
  }

  private static Offer pick(Map<RideId, Offer> offers, Random random) {
    int k = random.nextInt(offers.size());
    for (Offer o : offers.values()) {
      if (k-- == 0) {
        return o;
      }
    }
    throw new AssertionError();
  }
}
