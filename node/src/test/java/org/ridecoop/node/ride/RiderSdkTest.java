package org.ridecoop.node.ride;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.Fare;
import org.ridecoop.fare.FareParams;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.sdk.NodeRefusedException;
import org.ridecoop.sdk.Place;
import org.ridecoop.sdk.Quote;
import org.ridecoop.sdk.Ride;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.RideCoopException;
import org.ridecoop.sdk.RideOffer;
import org.ridecoop.sdk.RideState;
import org.ridecoop.sdk.RideStatus;
import org.ridecoop.sdk.Rider;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * The rider SDK against real nodes on loopback (each a whole node: its own Vert.x, SQLite file,
 * HTTP server, chain indexer, settlement and, where enabled, federation) and Anvil: a whole ride, a
 * dead first node, a node dying while the request is matched, the rider's node dying while
 * the ride is under way with a peer's driver, and a peer's driver's ride followed to settlement
 * by a rider who knows only its own node.
 */
@ExtendWith(AnvilExtension.class)
class RiderSdkTest {

  static final Place PICKUP = new Place(48.8566, 2.3522);
  static final Place DROPOFF = new Place(48.8738, 2.2950);
  static final LatLng DRIVER_AT = new LatLng(48.8580, 2.3500);
  static final long DEPOSIT = 50_000_000;
  static final Duration WAIT = Duration.ofSeconds(20);

  static CoopFixture coop;
  /** The driver, and the key of the node it drives for (a node's key is its one driver). */
  static Credentials driver;
  /** The key of a node with no driver online. */
  static Credentials idleNode;
  static Credentials riderKey;
  static long serviceCell;

  @TempDir
  Path dir;

  final List<NodeRuntime> nodes = new ArrayList<>();
  final List<AutoCloseable> closing = new ArrayList<>();
  Vertx client;

  /** A node started by this test. */
  record RunningNode(NodeRuntime runtime, int port) {
    URI uri() {
      return URI.create("http://127.0.0.1:" + port);
    }
  }

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    driver = coop.driver(0);
    idleNode = coop.driver(1);
    riderKey = coop.rider(0);
    coop.join(driver, 0);
    coop.join(idleNode, 0); // registered nodes' keys are active driver members
    serviceCell = com.uber.h3core.H3Core.newInstance().latLngToCell(PICKUP.lat(), PICKUP.lng(), 9);
    // CoopToken only: the rider deposits into its ledger wallet through the SDK (permit + deposit).
    coop.fund(riderKey, DEPOSIT);
  }

  @BeforeEach
  void client() {
    client = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    for (NodeRuntime n : nodes) {
      try {
        n.stop().await();
      } catch (RuntimeException alreadyStopped) {
        // stopped by the test
      }
    }
    client.close().await();
  }

  /**
   * A whole node keyed by {@code key} on a free port: ride desk, settlement of co-signed receipts
   * (one by one within 200 ms), the chain indexer, and the federation when {@code peers}.
   */
  RunningNode startNode(String name, Credentials key, boolean peers) throws Exception {
    ChainNode files = new ChainNode(dir.resolve(name), coop, key);
    int port = NodeFiles.freePort();
    NodeRuntime runtime = files.start(files.config(1, 200, "http://127.0.0.1:" + port, List.of(serviceCell), port,
        peers, new NodeConfig.Matching(100, 12_000)), new RideNetworkComponent());
    nodes.add(runtime);
    return new RunningNode(runtime, port);
  }

  RideCoop connect(URI... nodeUrls) {
    RideCoop sdk = RideCoop.connect(List.of(nodeUrls), URI.create(coop.chain.rpcUrl()), coop.manifest,
        new RideCoop.Options(Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofMinutes(10)));
    closing.add(sdk);
    return sdk;
  }

  DriverApp driverApp(RunningNode node) throws Exception {
    DriverApp app = new DriverApp(client, node.port(), driver).online(DRIVER_AT);
    closing.add(0, app);
    return app;
  }

  // ---------------------------------------------------------------- (a) one node, the whole ride

  @Test
  void aWholeRideThroughTheSdk() throws Exception {
    RunningNode node = startNode("a", driver, false);
    DriverApp app = driverApp(node);
    Rider rider = connect(node.uri()).rider(riderKey);

    rider.deposit(DEPOSIT);
    assertThat(rider.walletBalance()).isEqualTo(DEPOSIT);
    Quote quote = rider.quote(PICKUP, DROPOFF);
    FareParams params = coop.fareParams(quote.scheduleVersion());
    assertThat(quote.fare()).isEqualTo(Fare.of(params, quote.distanceMetres(), quote.durationSeconds()));
    long maxFare = quote.fare() * 2;

    Ride ride = rider.request(PICKUP, DROPOFF, maxFare);
    assertThat(ride.id()).isEqualTo(coop.rideIdOfNextBooking(riderKey));
    List<RideState> seen = new CopyOnWriteArrayList<>();
    ride.onStatus(s -> seen.add(s.state()));
    app.acceptNextOffer(coop);

    RideOffer offer = ride.awaitOffer(WAIT);
    assertThat(offer.driver()).isEqualToIgnoringCase(driver.getAddress());
    assertThat(offer.reason().etaSeconds()).isPositive();
    assertThat(offer.reason().distanceMetres()).isPositive();
    assertThat(offer.reason().text()).contains("away");
    ride.book(offer);
    assertThat(rider.walletBalance()).isEqualTo(DEPOSIT - maxFare);
    app.awaitBooked(ride.id());

    app.drive(ride.id(), 5_000, 900, coop.now());
    ride.awaitState(RideState.DROPPED_OFF, WAIT);
    TripReceipt receipt = ride.cosignReceipt();
    assertThat(receipt.distanceMetres()).isEqualTo(5_000);
    ride.awaitState(RideState.RECEIPT_COSIGNED, WAIT);

    // The node's settlement queue settles the co-signed receipt; the node follows RideSettled.
    RideStatus settled = ride.awaitState(RideState.SETTLED, WAIT);
    assertThat(settled.node()).isEqualTo(node.uri());
    // Listeners are called on the SDK's stream thread, which may still be delivering SETTLED.
    long until = System.currentTimeMillis() + 5_000;
    while (!seen.contains(RideState.SETTLED) && System.currentTimeMillis() < until) {
      Thread.sleep(10);
    }
    assertThat(seen).contains(RideState.BOOKED, RideState.DROPPED_OFF, RideState.RECEIPT_COSIGNED, RideState.SETTLED);

    long fare = Math.min(Fare.of(params, 5_000, 900), maxFare);
    assertThat(rider.walletBalance()).isEqualTo(DEPOSIT - fare);
    assertThat(coop.ledger(driver).driverOf(driver.getAddress()).send().component1())
        .isEqualTo(BigInteger.valueOf(fare - Fare.commission(params, fare)));
    coop.assertMoneyInvariant(coop.devAddresses(), List.of(ride.id()));
  }

  // ---------------------------------------------------------------- (b) the first node is dead

  @Test
  void aDeadFirstNodeLeavesTheRiderToQuoteAndBookThroughTheSecond() throws Exception {
    URI dead = URI.create("http://127.0.0.1:" + NodeFiles.freePort());
    RunningNode node = startNode("b", driver, false);
    DriverApp app = driverApp(node);
    Rider rider = connect(dead, node.uri()).rider(riderKey);
    rider.deposit(DEPOSIT);

    Quote quote = rider.quote(PICKUP, DROPOFF);
    assertThat(quote.node()).isEqualTo(node.uri());
    Ride ride = rider.request(PICKUP, DROPOFF, quote.fare() * 2);
    assertThat(ride.node()).isEqualTo(node.uri());
    app.acceptNextOffer(coop);
    RideOffer offer = ride.awaitOffer(WAIT);
    assertThat(offer.node()).isEqualTo(node.uri());
    ride.book(offer);
    app.awaitBooked(ride.id());
    assertThat(coop.ledger(riderKey).rideOf(ride.id()).send().component6().intValue()).isEqualTo(1); // Booked
  }

  // ---------------------------------------------------------------- (c) the node dies while matching

  @Test
  void aRequestBeingMatchedWhenItsNodeDiesIsRepostedToTheOtherNodeAndServedThere() throws Exception {
    RunningNode a = startNode("a", idleNode, false); // no driver online: the request waits
    RunningNode b = startNode("b", driver, false);
    DriverApp app = driverApp(b);
    Rider rider = connect(a.uri(), b.uri()).rider(riderKey);
    rider.deposit(DEPOSIT);

    Ride ride = rider.request(PICKUP, DROPOFF, 20_000_000);
    assertThat(ride.node()).isEqualTo(a.uri());
    // A stored the request and is matching it (no driver there: it waits) when it stops.
    assertThat(a.runtime().services().store().rides().openRequestCount().await()).isEqualTo(1);
    a.runtime().stop().await();

    // The SDK re-posts the same signed request to B, whose driver gets it.
    app.acceptNextOffer(coop);
    RideOffer offer = ride.awaitOffer(WAIT);
    assertThat(offer.node()).isEqualTo(b.uri());
    assertThat(ride.node()).isEqualTo(b.uri());
    ride.book(offer);
    app.awaitBooked(ride.id());
    app.drive(ride.id(), 3_000, 600, coop.now());
    ride.awaitState(RideState.DROPPED_OFF, WAIT);
    ride.cosignReceipt();
    assertThat(ride.awaitState(RideState.SETTLED, WAIT).node()).isEqualTo(b.uri());
    assertThat(b.runtime().services().store().receipts().find(ride.id()).await()).isPresent();
  }

  // ---------------------------------------------------------------- (d) the node dies during the ride

  @Test
  void aRideUnderWayWhenTheRidersNodeDiesIsFollowedAndCoSignedAtTheDriversNode() throws Exception {
    // B first: A reads the node registry at start and finds B covering the pickup.
    RunningNode b = startNode("b", driver, true);
    RunningNode a = startNode("a", idleNode, true); // no driver online: A asks its peer B
    DriverApp app = driverApp(b);
    Rider rider = connect(a.uri(), b.uri()).rider(riderKey);
    rider.deposit(DEPOSIT);

    long maxFare = 20_000_000;
    Ride ride = rider.request(PICKUP, DROPOFF, maxFare);
    assertThat(ride.node()).isEqualTo(a.uri());
    app.acceptNextOffer(coop); // at B, through the federation
    RideOffer offer = ride.awaitOffer(WAIT);
    assertThat(offer.fromPeer()).isTrue();
    assertThat(offer.driver()).isEqualToIgnoringCase(driver.getAddress());
    assertThat(offer.node()).isEqualTo(a.uri());
    ride.book(offer);
    app.awaitBooked(ride.id());

    a.runtime().stop().await();
    app.drive(ride.id(), 4_000, 700, coop.now());
    RideStatus dropped = ride.awaitState(RideState.DROPPED_OFF, WAIT);
    assertThat(dropped.node()).isEqualTo(b.uri());
    ride.cosignReceipt();
    ride.awaitState(RideState.RECEIPT_COSIGNED, WAIT);
    RideStatus settled = ride.awaitState(RideState.SETTLED, WAIT);
    assertThat(settled.node()).isEqualTo(b.uri());

    FareParams params = coop.fareParams(offer.offer().scheduleVersion());
    long fare = Math.min(Fare.of(params, 4_000, 700), maxFare);
    assertThat(rider.walletBalance()).isEqualTo(DEPOSIT - fare);
    coop.assertMoneyInvariant(coop.devAddresses(), List.of(ride.id()));
  }

  // ---------------------------------------------------------------- (e) a peer serves the ride

  @Test
  void aRiderWhoseRideAPeerServesHearsTheDropOffAndCoSignsThroughTheSdk() throws Exception {
    RunningNode b = startNode("b", driver, true);
    RunningNode a = startNode("a", idleNode, true); // no driver online: A asks its peer B
    DriverApp app = driverApp(b);
    // The rider knows only its own node A; B is learnt from the peer's offer.
    Rider rider = connect(a.uri()).rider(riderKey);
    rider.deposit(DEPOSIT);

    long maxFare = 20_000_000;
    Ride ride = rider.request(PICKUP, DROPOFF, maxFare);
    List<RideStatus> seen = new CopyOnWriteArrayList<>();
    ride.onStatus(seen::add);
    app.acceptNextOffer(coop);
    RideOffer offer = ride.awaitOffer(WAIT);
    assertThat(offer.fromPeer()).isTrue();
    assertThat(offer.node()).isEqualTo(a.uri());
    assertThat(offer.servedAt()).isEqualTo(b.uri());
    ride.book(offer);
    app.awaitBooked(ride.id());

    app.drive(ride.id(), 4_000, 700, coop.now());
    RideStatus dropped = ride.awaitState(RideState.DROPPED_OFF, WAIT);
    assertThat(dropped.node()).isEqualTo(b.uri());
    TripReceipt receipt = ride.cosignReceipt();
    assertThat(receipt.distanceMetres()).isEqualTo(4_000);
    assertThat(b.runtime().services().store().receipts().find(ride.id()).await()).isPresent();
    assertThat(ride.awaitState(RideState.SETTLED, WAIT).node()).isEqualTo(b.uri());
    long until = System.currentTimeMillis() + 5_000;
    while (seen.stream().noneMatch(s -> s.state() == RideState.SETTLED) && System.currentTimeMillis() < until) {
      Thread.sleep(10);
    }
    // The drop-off at B and the settlement reached the rider, who asked only A.
    assertThat(seen).extracting(RideStatus::state).contains(RideState.BOOKED, RideState.DROPPED_OFF,
        RideState.RECEIPT_COSIGNED, RideState.SETTLED);

    FareParams params = coop.fareParams(offer.offer().scheduleVersion());
    long fare = Math.min(Fare.of(params, 4_000, 700), maxFare);
    assertThat(rider.walletBalance()).isEqualTo(DEPOSIT - fare);
    coop.assertMoneyInvariant(coop.devAddresses(), List.of(ride.id()));
  }

  // ---------------------------------------------------------------- refusals, cancel, dispute

  @Test
  void aNodesRefusalReachesTheRiderWithItsReasonAndCancelsWorkBeforeAndAfterBooking() throws Exception {
    RunningNode node = startNode("a", driver, false);
    DriverApp app = driverApp(node);
    Rider rider = connect(node.uri()).rider(riderKey);
    rider.deposit(DEPOSIT);

    // maxFare beyond the ledger's uint32: the node says why, nothing is retried elsewhere.
    assertThatThrownBy(() -> rider.request(PICKUP, DROPOFF, 0x1_0000_0000L))
        .isInstanceOfSatisfying(NodeRefusedException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.error()).isEqualTo("invalid_value");
          assertThat(e.reason()).contains("maxFare");
          assertThat(e.node()).isEqualTo(node.uri());
        });

    // Withdrawn at the node before booking.
    Ride first = rider.request(PICKUP, DROPOFF, 20_000_000);
    app.acceptNextOffer(coop);
    first.awaitOffer(WAIT);
    first.cancel();
    assertThat(first.state()).isEqualTo(RideState.CANCELLED);
    assertThat(node.runtime().services().store().rides().openRequestCount().await()).isZero();

    // Cancelled on chain after booking, within the grace period: the whole escrow comes back.
    app.goOnline(DRIVER_AT); // accepting an offer took the driver off the market
    Ride second = rider.request(PICKUP, DROPOFF, 20_000_000);
    app.acceptNextOffer(coop);
    second.book(second.awaitOffer(WAIT));
    assertThat(rider.walletBalance()).isEqualTo(DEPOSIT - 20_000_000);
    app.awaitBooked(second.id());
    second.cancel();
    assertThat(rider.walletBalance()).isEqualTo(DEPOSIT);
    assertThat(coop.ledger(riderKey).rideOf(second.id()).send().component6().intValue()).isEqualTo(5); // CancelledByRider
  }

  @Test
  void aReceiptAboveTheEscrowIsNotCoSignedAndTheRiderDisputesIt() throws Exception {
    RunningNode node = startNode("a", driver, false);
    DriverApp app = driverApp(node);
    Rider rider = connect(node.uri()).rider(riderKey);
    rider.deposit(DEPOSIT);
    long maxFare = rider.quote(PICKUP, DROPOFF).fare();
    Ride ride = rider.request(PICKUP, DROPOFF, maxFare);
    app.acceptNextOffer(coop);
    ride.book(ride.awaitOffer(WAIT));
    app.awaitBooked(ride.id());

    app.drive(ride.id(), 400_000, 20_000, coop.now()); // far more than quoted
    ride.awaitState(RideState.DROPPED_OFF, WAIT);
    assertThatThrownBy(ride::cosignReceipt).isInstanceOf(RideCoopException.class)
        .hasMessageContaining("above the escrow of " + maxFare);
    assertThat(node.runtime().services().store().receipts().find(ride.id()).await()).isEmpty();

    ride.dispute(org.web3j.crypto.Hash.sha3("the route was a detour".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(coop.ledger(riderKey).rideOf(ride.id()).send().component6().intValue()).isEqualTo(3); // Disputed
    ride.awaitState(RideState.DISPUTED, WAIT);
  }
}
