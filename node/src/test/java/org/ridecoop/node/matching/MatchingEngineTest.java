package org.ridecoop.node.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.ridecoop.node.matching.NoLocalDriver.Reason;

class MatchingEngineTest {

  private static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
  private static final DriverId NEAR = new DriverId("near");
  private static final DriverId MIDDLE = new DriverId("middle");
  private static final DriverId FAR = new DriverId("far");

  private final MatchingEngine engine = new MatchingEngine(MatchingConfig.DEFAULT);

  private static RideRequest ride(String id, LatLng pickup) {
    return new RideRequest(new RideId(id), pickup);
  }

  private static Offer offer(MatchOutcome outcome) {
    assertThat(outcome).isInstanceOf(Offer.class);
    return (Offer) outcome;
  }

  private static NoLocalDriver none(MatchOutcome outcome) {
    assertThat(outcome).isInstanceOf(NoLocalDriver.class);
    return (NoLocalDriver) outcome;
  }

  private void threeDriversEast() {
    engine.driverOnline(NEAR, Places.east(300));
    engine.driverOnline(MIDDLE, Places.east(800));
    engine.driverOnline(FAR, Places.east(1500));
  }

  @Test
  void offersTheNearestDriverAndSaysWhy() {
    threeDriversEast();
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    List<MatchOutcome> outcomes = engine.closeWindow(T0);

    Offer o = offer(outcomes.getFirst());
    assertThat(o.ride()).isEqualTo(new RideId("r1"));
    assertThat(o.driver()).isEqualTo(NEAR);
    assertThat(o.attempt()).isEqualTo(1);
    assertThat(o.expiresAt()).isEqualTo(T0.plus(MatchingConfig.DEFAULT.offerTimeout()));
    OfferReason why = o.why();
    assertThat(why.distanceMetres()).isBetween(299, 301);
    assertThat(why.etaSeconds()).isEqualTo(CitySpeedEta.DEFAULT.etaSeconds(why.distanceMetres()));
    assertThat(why.rank()).isEqualTo(1);
    assertThat(why.candidates()).isEqualTo(3);
    assertThat(why.nearestEtaSeconds()).isEqualTo(why.etaSeconds());
    assertThat(why.ring()).isBetween(1, 2);
    assertThat(why.competingRides()).isZero();
    assertThat(why.describe()).startsWith("1 min 11 s away (300 m, ring ")
        .contains("1st nearest of the 3 free drivers considered");
    assertThat(engine.outstandingOffers()).isEqualTo(1);
    assertThat(engine.waitingRides()).isZero();
  }

  @Test
  void aDriverHoldsOneOfferAtATime() {
    engine.driverOnline(NEAR, Places.east(300));
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    assertThat(offer(engine.closeWindow(T0).getFirst()).driver()).isEqualTo(NEAR);

    // A second ride right next to the reserved driver gets nothing while the offer stands.
    engine.submit(ride("r2", Places.east(310)));
    NoLocalDriver n = none(engine.closeWindow(T0.plusMillis(250)).getFirst());
    assertThat(n.reason()).isEqualTo(Reason.DRIVERS_BUSY);
    assertThat(n.offersMade()).isZero();

    // Once the first ride is accepted the driver is on a ride and still not offered.
    assertThat(engine.accepted(new RideId("r1"), NEAR)).isTrue();
    assertThat(engine.onlineDrivers()).isZero();
    engine.submit(ride("r3", Places.east(310)));
    assertThat(none(engine.closeWindow(T0.plusMillis(500)).getFirst()).reason())
        .isEqualTo(Reason.NO_DRIVER_IN_REACH);
  }

  @Test
  void twoRidesInOneWindowNeverShareADriver() {
    engine.driverOnline(NEAR, Places.east(300));
    engine.driverOnline(FAR, Places.east(1500));
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    engine.submit(ride("r2", Places.east(50)));
    List<MatchOutcome> outcomes = engine.closeWindow(T0);
    assertThat(outcomes).hasSize(2);
    assertThat(offer(outcomes.get(0)).driver()).isNotEqualTo(offer(outcomes.get(1)).driver());
    assertThat(offer(outcomes.get(0)).why().competingRides()).isEqualTo(1);
  }

  @Test
  void aDeclineMovesTheRideToTheNextCandidate() {
    threeDriversEast();
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    assertThat(offer(engine.closeWindow(T0).getFirst()).driver()).isEqualTo(NEAR);

    assertThat(engine.declined(new RideId("r1"), NEAR)).isTrue();
    assertThat(engine.waitingRides()).isEqualTo(1);
    assertThat(engine.outstandingOffers()).isZero();
    Offer second = offer(engine.closeWindow(T0.plusSeconds(1)).getFirst());
    assertThat(second.driver()).isEqualTo(MIDDLE);
    assertThat(second.attempt()).isEqualTo(2);
    // The decliner is out of this ride's list, so MIDDLE is now its nearest candidate.
    assertThat(second.why().rank()).isEqualTo(1);
    assertThat(second.why().candidates()).isEqualTo(2);

    // Answers for an offer no longer held change nothing.
    assertThat(engine.declined(new RideId("r1"), NEAR)).isFalse();
    assertThat(engine.accepted(new RideId("r1"), NEAR)).isFalse();

    assertThat(engine.timedOut(new RideId("r1"), MIDDLE)).isTrue();
    assertThat(offer(engine.closeWindow(T0.plusSeconds(2)).getFirst()).driver()).isEqualTo(FAR);
    assertThat(engine.declined(new RideId("r1"), FAR)).isTrue();

    NoLocalDriver gone = none(engine.closeWindow(T0.plusSeconds(3)).getFirst());
    assertThat(gone.reason()).isEqualTo(Reason.ALL_IN_REACH_DECLINED);
    assertThat(gone.offersMade()).isEqualTo(3);
    assertThat(gone.pickup()).isEqualTo(Places.HOTEL_DE_VILLE);
    // The engine forgot the ride; the drivers are free for others.
    assertThat(engine.cancel(new RideId("r1"))).isFalse();
    engine.submit(ride("r2", Places.HOTEL_DE_VILLE));
    assertThat(offer(engine.closeWindow(T0.plusSeconds(4)).getFirst()).driver()).isEqualTo(NEAR);
  }

  @Test
  void anUnansweredOfferExpiresWhenAWindowClosesAfterItsDeadline() {
    threeDriversEast();
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    Offer first = offer(engine.closeWindow(T0).getFirst());

    // Just before the deadline nothing moves.
    assertThat(engine.closeWindow(first.expiresAt().minusMillis(1))).isEmpty();
    assertThat(engine.outstandingOffers()).isEqualTo(1);

    Offer next = offer(engine.closeWindow(first.expiresAt()).getFirst());
    assertThat(next.driver()).isEqualTo(MIDDLE);
    assertThat(next.attempt()).isEqualTo(2);
    assertThat(engine.accepted(new RideId("r1"), NEAR)).isFalse();
    assertThat(engine.accepted(new RideId("r1"), MIDDLE)).isTrue();
  }

  @Test
  void anOfflineDriverIsNeverOffered() {
    threeDriversEast();
    assertThat(engine.driverOffline(NEAR)).isTrue();
    assertThat(engine.driverOffline(NEAR)).isFalse();
    assertThat(engine.driverMoved(NEAR, Places.east(10))).isFalse();
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    Offer o = offer(engine.closeWindow(T0).getFirst());
    assertThat(o.driver()).isEqualTo(MIDDLE);
    assertThat(o.why().candidates()).isEqualTo(2);
  }

  @Test
  void aDriverGoingOfflineWithAnOfferSendsTheRideBackToTheWindow() {
    threeDriversEast();
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    assertThat(offer(engine.closeWindow(T0).getFirst()).driver()).isEqualTo(NEAR);
    engine.driverOffline(NEAR);
    assertThat(engine.outstandingOffers()).isZero();
    assertThat(offer(engine.closeWindow(T0.plusSeconds(1)).getFirst()).driver()).isEqualTo(MIDDLE);
    assertThat(engine.accepted(new RideId("r1"), NEAR)).isFalse();
  }

  @Test
  void movingDriversAreRankedByWhereTheyAreNow() {
    threeDriversEast();
    assertThat(engine.driverMoved(FAR, Places.east(20))).isTrue();
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    assertThat(offer(engine.closeWindow(T0).getFirst()).driver()).isEqualTo(FAR);
    // Reconnecting (online again) is a move and keeps the offer.
    engine.driverOnline(FAR, Places.east(25));
    assertThat(engine.outstandingOffers()).isEqualTo(1);
    assertThat(engine.accepted(new RideId("r1"), FAR)).isTrue();
  }

  @Test
  void noDriverAtAllGivesNoLocalDriver() {
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    NoLocalDriver n = none(engine.closeWindow(T0).getFirst());
    assertThat(n.reason()).isEqualTo(Reason.NO_DRIVER_IN_REACH);
    assertThat(n.ride()).isEqualTo(new RideId("r1"));
    assertThat(engine.waitingRides()).isZero();
  }

  @Test
  void aPickupFarFromEveryDriverGivesNoLocalDriver() {
    threeDriversEast();
    engine.submit(ride("lyon", new LatLng(45.764, 4.8357)));
    engine.submit(ride("just-out-of-reach", Places.east(-3000)));
    List<MatchOutcome> outcomes = engine.closeWindow(T0);
    assertThat(none(outcomes.get(0)).reason()).isEqualTo(Reason.NO_DRIVER_IN_REACH);
    // 3.3 km from NEAR is 773 s, within the 900 s cutoff; with a 600 s cutoff it is out of reach.
    assertThat(offer(outcomes.get(1)).driver()).isEqualTo(NEAR);

    MatchingEngine strict = new MatchingEngine(MatchingConfig.DEFAULT.withMaxEtaSeconds(600));
    strict.driverOnline(NEAR, Places.east(300));
    strict.submit(ride("r", Places.east(-3000)));
    assertThat(none(strict.closeWindow(T0).getFirst()).reason())
        .isEqualTo(Reason.NO_DRIVER_IN_REACH);
  }

  @Test
  void manyRidesFewDriversServesAsManyAsThereAreDrivers() {
    engine.driverOnline(NEAR, Places.east(300));
    engine.driverOnline(MIDDLE, Places.east(800));
    for (int i = 0; i < 10; i++) {
      engine.submit(ride("r" + i, Places.east(i * 45)));
    }
    List<MatchOutcome> outcomes = engine.closeWindow(T0);
    assertThat(outcomes).hasSize(10);
    assertThat(outcomes).filteredOn(Offer.class::isInstance).hasSize(2);
    assertThat(outcomes).filteredOn(NoLocalDriver.class::isInstance)
        .allSatisfy(o -> assertThat(((NoLocalDriver) o).reason())
            .isEqualTo(Reason.CANDIDATES_TAKEN_BY_OTHER_RIDES));
    // The two drivers go to the rides that minimise the total: those nearest to them.
    assertThat(outcomes).filteredOn(Offer.class::isInstance)
        .extracting(o -> ((Offer) o).ride().value())
        .containsExactlyInAnyOrder("r7", "r9");
    assertThat(engine.outstandingOffers()).isEqualTo(2);
  }

  @Test
  void aRideIsGivenUpAfterTheOfferLimit() {
    MatchingEngine limited = new MatchingEngine(MatchingConfig.DEFAULT.withMaxOffersPerRide(2));
    limited.driverOnline(NEAR, Places.east(300));
    limited.driverOnline(MIDDLE, Places.east(800));
    limited.driverOnline(FAR, Places.east(1500));
    limited.submit(ride("r1", Places.HOTEL_DE_VILLE));
    limited.closeWindow(T0);
    limited.declined(new RideId("r1"), NEAR);
    limited.closeWindow(T0.plusSeconds(1));
    limited.declined(new RideId("r1"), MIDDLE);
    NoLocalDriver n = none(limited.closeWindow(T0.plusSeconds(2)).getFirst());
    assertThat(n.reason()).isEqualTo(Reason.OFFER_LIMIT_REACHED);
    assertThat(n.offersMade()).isEqualTo(2);
  }

  @Test
  void cancellingFreesTheDriverOrEmptiesTheWindow() {
    engine.driverOnline(NEAR, Places.east(300));
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    assertThat(engine.cancel(new RideId("r1"))).isTrue();
    assertThat(engine.closeWindow(T0)).isEmpty();

    engine.submit(ride("r2", Places.HOTEL_DE_VILLE));
    assertThat(offer(engine.closeWindow(T0).getFirst()).driver()).isEqualTo(NEAR);
    assertThat(engine.cancel(new RideId("r2"))).isTrue();
    assertThat(engine.accepted(new RideId("r2"), NEAR)).isFalse();
    engine.submit(ride("r3", Places.HOTEL_DE_VILLE));
    assertThat(offer(engine.closeWindow(T0).getFirst()).driver()).isEqualTo(NEAR);
  }

  @Test
  void aDriverBackFromARideIsFreeAndRankedWhereItNowIs() {
    engine.driverOnline(NEAR, Places.east(300));
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    assertThat(engine.accepted(new RideId("r1"), offer(engine.closeWindow(T0).getFirst()).driver()))
        .isTrue();
    // On the ride: not online, not moving here, offered nothing.
    assertThat(engine.onlineDrivers()).isZero();
    assertThat(engine.driverMoved(NEAR, Places.east(10))).isFalse();
    engine.submit(ride("r2", Places.HOTEL_DE_VILLE));
    assertThat(none(engine.closeWindow(T0.plusSeconds(1)).getFirst()).reason())
        .isEqualTo(Reason.NO_DRIVER_IN_REACH);

    // Back online elsewhere: free (its old offer holds it no more) and ranked from there.
    engine.driverOnline(NEAR, Places.east(2000));
    assertThat(engine.onlineDrivers()).isEqualTo(1);
    engine.submit(ride("r3", Places.HOTEL_DE_VILLE));
    Offer again = offer(engine.closeWindow(T0.plusSeconds(2)).getFirst());
    assertThat(again.driver()).isEqualTo(NEAR);
    assertThat(again.why().distanceMetres()).isEqualTo(2000);
    assertThat(again.attempt()).isEqualTo(1);

    // A driver that stops working after a ride was not online, and is gone.
    assertThat(engine.accepted(new RideId("r3"), NEAR)).isTrue();
    assertThat(engine.driverOffline(NEAR)).isFalse();
    assertThat(engine.driverMoved(NEAR, Places.east(10))).isFalse();
    assertThat(engine.onlineDrivers()).isZero();
  }

  @Test
  void aRideIdIsMatchedOnceAtATime() {
    engine.submit(ride("r1", Places.HOTEL_DE_VILLE));
    assertThatThrownBy(() -> engine.submit(ride("r1", Places.east(5))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r1");
  }

  @Test
  void anEmptyWindowDecidesNothing() {
    assertThat(engine.closeWindow(T0)).isEmpty();
    threeDriversEast();
    assertThat(engine.closeWindow(T0)).isEmpty();
  }

  @Test
  void callsFromASecondThreadAreRefused() throws Exception {
    engine.driverOnline(NEAR, Places.east(300));
    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> engine.closeWindow(T0));
    assertThatThrownBy(other::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("single-writer");
  }

  @Test
  void configRejectsNonsense() {
    assertThatThrownBy(() -> MatchingConfig.DEFAULT.withResolution(16))
        .hasMessageContaining("resolution");
    assertThatThrownBy(() -> new MatchingConfig(9, Duration.ZERO, 8, 32, 900, 60,
        Duration.ofSeconds(15), 5)).hasMessageContaining("window");
    assertThatThrownBy(() -> new MatchingConfig(9, Duration.ofMillis(100), 8, 4, 900, 60,
        Duration.ofSeconds(15), 5)).hasMessageContaining("candidatesPerRide");
  }
}
