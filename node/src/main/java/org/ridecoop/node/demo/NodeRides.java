package org.ridecoop.node.demo;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.node.demo.FleetNodes.FleetNode;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.sdk.Place;
import org.ridecoop.sdk.Quote;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.RideOffer;
import org.ridecoop.sdk.RideState;

/**
 * Rides through the fleet nodes, end to end as users make them: each rider's app uses the rider
 * SDK with its own node first (quote, signed request, offer, booking on chain with the rider's
 * key, status, co-signed receipt); each driver's app uses its node's driver API (online, offer
 * stream, accept with its own signature, arrived, pickup, drop-off); the nodes match, federate and
 * settle. Every other rider asks at a node whose drivers are all beyond reach of the pickup, so
 * its node asks its peers and a peer's driver serves it.
 *
 * <p>These rides run before the demo moves the chain clock forward (the vote's timelock, the epoch
 * close): the nodes date offers and the SDK requests by the wall clock, which the ledger compares
 * with block time, so they belong to the part of the demo where both clocks agree.
 */
final class NodeRides {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** {@code RideLedger.RideStatus.Settled}. */
  private static final int SETTLED = 4;

  private final Coop coop;
  private final City city;
  private final Random random;
  private final Consumer<String> say;

  /** What the rides gave. */
  static final class Result {
    int local, byPeer, failed;
    long metres;
    final List<String> examples = new ArrayList<>();

    int rides() {
      return local + byPeer;
    }
  }

  NodeRides(Coop coop, City city, Random random, Consumer<String> say) {
    this.coop = coop;
    this.city = city;
    this.random = random;
    this.say = say;
  }

  /**
   * One ride per rider, up to two per fleet: ride k is picked up near a driver of fleet k mod n;
   * its rider's app prefers that fleet's node when k is even and the next fleet's node when k is
   * odd.
   *
   * @param drivers every fleet driver's app, connected and online
   */
  Result run(FleetNodes fleets, List<DriverClient> drivers, List<People.Rider> riders, URI rpcUrl,
      DeploymentManifest manifest) throws Exception {
    List<FleetNode> nodes = fleets.nodes();
    int n = nodes.size();
    List<RideCoop> apps = new ArrayList<>();
    Result result = new Result();
    List<Ride> toSettle = new ArrayList<>();
    try {
      for (int h = 0; h < n; h++) {
        List<URI> preferred = new ArrayList<>();
        for (int i = 0; i < n; i++) preferred.add(nodes.get((h + i) % n).url());
        apps.add(RideCoop.connect(preferred, rpcUrl, manifest,
            new RideCoop.Options(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(10))));
      }
      int count = Math.min(riders.size(), 2 * n);
      for (int k = 0; k < count; k++) {
        int target = k % n;
        int home = k % 2 == 0 ? target : (target + 1) % n;
        FleetNode fleet = nodes.get(target);
        People.Driver near = fleet.drivers().get((k / n) % fleet.drivers().size());
        LatLng pickup = city.drift(near.at, 300, random);
        LatLng dropoff = city.drift(FleetNodes.HOMES.get(target), 3_000, random);
        while (pickup.metresTo(dropoff) < 1_500) dropoff = city.drift(FleetNodes.HOMES.get(target), 3_000, random);
        People.Rider rider = riders.get(k);
        try {
          Ride ride = ride(apps.get(home), rider, pickup, dropoff, drivers, result, nodes.get(home));
          toSettle.add(ride);
        } catch (Exception e) {
          result.failed++;
          say.accept("nodes: " + rider + "'s ride at " + nodes.get(home).url() + " failed: " + e.getMessage());
        }
      }
      // The drivers' nodes settle co-signed receipts in batches at most a second old.
      for (Ride ride : toSettle) awaitSettled(ride);
      return result;
    } finally {
      for (Ride ride : toSettle) ride.close();
      for (RideCoop app : apps) app.close();
    }
  }

  private void awaitSettled(Ride ride) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (coop.ledger(coop.onRamp).rideOf(ride.id()).send().component6().intValueExact() != SETTLED) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("ride " + ride.id() + " was not settled within " + WAIT.toSeconds() + " s");
      }
      Thread.sleep(100);
    }
  }

  private Ride ride(RideCoop app, People.Rider rider, LatLng pickup, LatLng dropoff, List<DriverClient> drivers,
      Result result, FleetNode home) throws Exception {
    var sdk = app.rider(rider.key);
    Place from = new Place(pickup.lat(), pickup.lng());
    Place to = new Place(dropoff.lat(), dropoff.lng());
    // An offer left on a driver's screen by an earlier ride (pushed to another candidate too) is stale.
    for (DriverClient d : drivers) {
      while (d.pollOffer() != null) {
        // discarded
      }
    }
    Quote quote = sdk.quote(from, to);
    Ride ride = sdk.request(from, to, quote.fare() * 2);
    try {
      DriverClient driver = null;
      JsonObject pushed = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (pushed == null && System.nanoTime() < deadline) {
        for (DriverClient d : drivers) {
          if ((pushed = d.pollOffer()) != null) {
            driver = d;
            break;
          }
        }
        if (pushed == null) Thread.sleep(10);
      }
      if (pushed == null) throw new IllegalStateException("no driver was offered the ride within " + WAIT.toSeconds() + " s");
      driver.accept(pushed);
      RideOffer offer = ride.awaitOffer(WAIT);
      ride.book(offer);
      driver.awaitBooked(ride.id());
      long metres = city.routeMetres(pickup, dropoff);
      driver.drive(ride.id(), metres, city.seconds(metres), coop.now());
      // A peer's driver's ride too: the SDK follows it at the peer serving it and co-signs there.
      ride.awaitState(RideState.DROPPED_OFF, WAIT);
      ride.cosignReceipt();
      driver.online();
      result.metres += metres;
      if (offer.fromPeer()) {
        result.byPeer++;
      } else {
        result.local++;
      }
      String line = rider + " asked " + home.url() + ", " + driver.driver + " of " + driver.node
          + (offer.fromPeer() ? " served it as a peer" : " served it") + (offer.reason() == null || offer.reason().text() == null || offer.reason().text().isBlank() ? ""
          : " (" + offer.reason().text() + ")");
      result.examples.add(line);
      say.accept("nodes: " + line);
      return ride;
    } catch (Exception | Error e) {
      ride.close();
      throw e;
    }
  }
}
