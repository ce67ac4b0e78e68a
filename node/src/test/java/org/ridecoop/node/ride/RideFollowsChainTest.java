package org.ridecoop.node.ride;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.Fare;
import org.ridecoop.fare.FareParams;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.NodeServices;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.store.RideInProgress;
import org.ridecoop.node.store.RideState;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.utils.Numeric;

/**
 * Rides followed through the node's event indexer, on real nodes (the launcher's components:
 * chain gateway, ride network, settlement, indexer), real sockets, SQLite files and Anvil: a ride
 * booked while its node is down, and a ride requested at one node and driven by a peer's driver
 * that completes at the driver's node after the rider's node is gone.
 */
@ExtendWith(AnvilExtension.class)
class RideFollowsChainTest {

  static final LatLng PICKUP = RideDeskTest.PICKUP;
  static final LatLng DROPOFF = RideDeskTest.DROPOFF;
  static final LatLng NEAR_PICKUP = RideDeskTest.DRIVER_AT;
  static final long DEPOSIT = 50_000_000;
  static final long MAX_FARE = 20_000_000;
  static final NodeConfig.Matching FAST = new NodeConfig.Matching(100, 12_000);

  static CoopFixture coop;
  static Credentials rider;

  @TempDir
  Path dir;

  Vertx client;
  final List<NodeRuntime> running = new ArrayList<>();

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    for (int i = 0; i < 3; i++) {
      coop.join(coop.driver(i), 0);
    }
    rider = coop.rider(0);
    coop.deposit(rider, DEPOSIT);
  }

  @BeforeEach
  void client() {
    client = Vertx.vertx();
  }

  @AfterEach
  void stopAll() {
    for (NodeRuntime n : List.copyOf(running)) {
      stop(n);
    }
    client.close().await();
  }

  // ---------------------------------------------------------------- restart

  @Test
  void aRideBookedWhileTheNodeIsDownIsFollowedOnceAfterTheRestartAndSettledOnce() throws Exception {
    Credentials driver = coop.driver(0);
    ChainNode files = new ChainNode(dir.resolve("node"), coop, driver);
    int port = NodeFiles.freePort();
    NodeConfig config = files.config(1, 200, "http://127.0.0.1:" + port, List.of(ChainNode.CELL), port, false, FAST);
    NodeRuntime node = start(files, config);
    RideClient app = new RideClient(client, coop, port);

    // Requested, offered to the node's driver, accepted.
    BlockingQueue<JsonObject> screen = app.stream("/v1/drivers/" + driver.getAddress() + "/stream", driver);
    app.ok(driver, "/v1/drivers/" + driver.getAddress() + "/online", RideDeskTest.point(NEAR_PICKUP));
    HttpResponse<Buffer> requested = app.post("/v1/rides", app.rideRequest(rider, PICKUP, DROPOFF, MAX_FARE));
    assertThat(requested.statusCode()).as(requested.bodyAsString()).isEqualTo(202);
    BigInteger rideId = new BigInteger(requested.bodyAsJsonObject().getString("rideId"));
    JsonObject pushed = RideDeskTest.next(screen, "offer");
    app.accept(driver, pushed);
    Offer offer = RideDeskTest.offer(pushed.getJsonObject("offer"));

    // The node goes down; the rider books on chain meanwhile.
    stop(node);
    coop.ledger(rider).book(ContractStructs.offer(offer), ContractStructs.signature(coop.sign(offer, driver))).send();

    // Back on the same data directory: the indexer catches up from its stored cursor, and the desk
    // takes the booking before the HTTP server (deployed after every component) exists.
    node = NodeRuntime.start(config, java.util.Map.of(), withLast(new RideInStore(rideId))).await();
    running.add(node);
    app.awaitState(rideId, "booked");
    assertThat(rides(node)).extracting(RideInProgress::rideId).containsExactly(rideId);
    assertThat(node.services().store().rides().openRequestCount().await()).isZero();

    // Once more: the booking, recorded as processed, is not applied again.
    stop(node);
    node = start(files, config);
    BlockingQueue<JsonObject> follow = app.stream("/v1/rides/" + rideId + "/stream", null);
    assertThat(RideDeskTest.next(follow, "status").getString("state")).isEqualTo("booked");
    assertThat(rides(node)).hasSize(1);

    // The driver completes the ride; the rider co-signs; the node settles it.
    TripReceipt receipt = complete(app, driver, rideId);
    app.awaitState(rideId, "settled");
    assertThat(statuses(follow)).containsExactly("arrived", "picked_up", "dropped_off", "receipt_cosigned", "settled");

    assertPaidOnce(rideId, offer, driver, receipt);
  }

  @Test
  void aRideCancelledOnChainIsCancelledAtTheNodeAndCannotBePickedUp() throws Exception {
    Credentials driver = coop.driver(0);
    ChainNode files = new ChainNode(dir.resolve("node"), coop, driver);
    int port = NodeFiles.freePort();
    start(files, files.config(1, 200, "http://127.0.0.1:" + port, List.of(ChainNode.CELL), port, false, FAST));
    RideClient app = new RideClient(client, coop, port);
    BlockingQueue<JsonObject> screen = app.stream("/v1/drivers/" + driver.getAddress() + "/stream", driver);
    app.ok(driver, "/v1/drivers/" + driver.getAddress() + "/online", RideDeskTest.point(NEAR_PICKUP));
    HttpResponse<Buffer> requested = app.post("/v1/rides", app.rideRequest(rider, PICKUP, DROPOFF, MAX_FARE));
    BigInteger rideId = new BigInteger(requested.bodyAsJsonObject().getString("rideId"));
    JsonObject pushed = RideDeskTest.next(screen, "offer");
    app.accept(driver, pushed);
    Offer offer = RideDeskTest.offer(pushed.getJsonObject("offer"));
    coop.ledger(rider).book(ContractStructs.offer(offer), ContractStructs.signature(coop.sign(offer, driver))).send();
    app.awaitState(rideId, "booked");
    BlockingQueue<JsonObject> follow = app.stream("/v1/rides/" + rideId + "/stream", null);
    assertThat(RideDeskTest.next(follow, "status").getString("state")).isEqualTo("booked");

    coop.ledger(rider).cancelByRider(rideId).send();

    app.awaitState(rideId, "cancelled");
    assertThat(statuses(follow)).containsExactly("cancelled");
    HttpResponse<Buffer> late = app.signed(driver, "/v1/rides/" + rideId + "/pickup", new JsonObject());
    assertThat(late.statusCode()).as(late.bodyAsString()).isEqualTo(409);
    assertThat(late.bodyAsJsonObject().getString("error")).isEqualTo("out_of_order");
  }

  // ---------------------------------------------------------------- a peer's driver

  @Test
  void aRideRequestedAtAAndServedByTheDriverOfBCompletesAtBAfterAIsGone() throws Exception {
    Credentials driverOfB = coop.driver(1);
    long serviceCell = resolution9(PICKUP);
    int portB = NodeFiles.freePort();
    int portA = NodeFiles.freePort();
    // B first: A reads the registry at start and finds B covering the pickup.
    ChainNode filesB = new ChainNode(dir.resolve("b"), coop, driverOfB);
    NodeRuntime b = start(filesB, filesB.config(1, 200, "http://127.0.0.1:" + portB, List.of(serviceCell), portB,
        true, FAST));
    ChainNode filesA = new ChainNode(dir.resolve("a"), coop, coop.driver(2));
    NodeRuntime a = start(filesA, filesA.config(1, 200, "http://127.0.0.1:" + portA, List.of(serviceCell), portA,
        true, FAST));
    RideClient atA = new RideClient(client, coop, portA);
    RideClient atB = new RideClient(client, coop, portB);

    // B's driver is online at B; A has no driver online.
    BlockingQueue<JsonObject> screen = atB.stream("/v1/drivers/" + driverOfB.getAddress() + "/stream", driverOfB);
    atB.ok(driverOfB, "/v1/drivers/" + driverOfB.getAddress() + "/online", RideDeskTest.point(NEAR_PICKUP));

    HttpResponse<Buffer> requested = atA.post("/v1/rides", atA.rideRequest(rider, PICKUP, DROPOFF, MAX_FARE));
    assertThat(requested.statusCode()).as(requested.bodyAsString()).isEqualTo(202);
    BigInteger rideId = new BigInteger(requested.bodyAsJsonObject().getString("rideId"));

    // A asks B; B's driver gets the offer with the exact pickup point and accepts it at B.
    JsonObject pushed = RideDeskTest.next(screen, "offer");
    assertThat(pushed.getJsonObject("pickup").getDouble("lat")).isEqualTo(PICKUP.lat());
    assertThat(pushed.getJsonObject("pickup").getDouble("lng")).isEqualTo(PICKUP.lng());
    atB.accept(driverOfB, pushed);

    // The rider sees B's driver's offer at A and books it.
    JsonObject peerOffer = awaitOffer(atA, rideId);
    assertThat(peerOffer.getBoolean("fromPeer")).isTrue();
    Offer offer = RideDeskTest.offer(peerOffer.getJsonObject("offer"));
    assertThat(offer.driver()).isEqualToIgnoringCase(driverOfB.getAddress());
    coop.ledger(rider).book(ContractStructs.offer(offer),
        ContractStructs.signature(Numeric.hexStringToByteArray(peerOffer.getString("driverSignature")))).send();
    atA.awaitState(rideId, "booked");
    atB.awaitState(rideId, "booked");

    // The rider's node goes away; the ride goes on at B.
    stop(a);
    BlockingQueue<JsonObject> follow = atB.stream("/v1/rides/" + rideId + "/stream", null);
    assertThat(RideDeskTest.next(follow, "status").getString("state")).isEqualTo("booked");
    JsonObject atBooking = atB.getJson("/v1/rides/" + rideId);
    assertThat(atBooking.getString("rider")).isEqualToIgnoringCase(rider.getAddress());
    assertThat(atBooking.getString("driver")).isEqualToIgnoringCase(driverOfB.getAddress());
    assertThat(atBooking.getLong("maxFare")).isEqualTo(offer.maxFare().longValueExact());
    assertThat(atBooking.getInteger("scheduleVersion")).isEqualTo(offer.scheduleVersion());

    TripReceipt receipt = complete(atB, driverOfB, rideId);
    atB.awaitState(rideId, "settled");
    assertThat(statuses(follow)).containsExactly("arrived", "picked_up", "dropped_off", "receipt_cosigned", "settled");
    assertPaidOnce(rideId, offer, driverOfB, receipt);
    assertThat(b.services().store().receipts().find(rideId).await()).hasValueSatisfying(
        q -> assertThat(q.settledTx()).isPresent());
  }

  // ---------------------------------------------------------------- steps and checks

  /** The components a node runs (chain, ride network, settlement, indexer), then {@code last}. */
  static List<NodeComponent> withLast(NodeComponent last) {
    List<NodeComponent> all = new ArrayList<>(ChainNode.components(new RideNetworkComponent()));
    all.add(last);
    return all;
  }

  /**
   * A component that starts once the ride is in the node's store, or fails after 10 s. Listed
   * after the indexer it holds the HTTP server back: the ride must arrive without it.
   */
  record RideInStore(BigInteger rideId) implements NodeComponent {
    @Override
    public String name() {
      return "ride-in-store";
    }

    @Override
    public Future<Void> start(NodeServices services) {
      Promise<Void> found = Promise.promise();
      long deadline = System.currentTimeMillis() + 10_000;
      services.vertx().setPeriodic(50, timer -> services.store().rides().ride(rideId).onSuccess(ride -> {
        if (ride.isPresent() && found.tryComplete()) {
          services.vertx().cancelTimer(timer);
        } else if (System.currentTimeMillis() > deadline && found.tryFail("ride " + rideId + " not followed in 10 s")) {
          services.vertx().cancelTimer(timer);
        }
      }));
      return found.future();
    }

    @Override
    public Future<Void> stop() {
      return Future.succeededFuture();
    }
  }

  NodeRuntime start(ChainNode files, NodeConfig config) {
    NodeRuntime n = files.start(config, new RideNetworkComponent());
    running.add(n);
    return n;
  }

  void stop(NodeRuntime n) {
    running.remove(n);
    n.stop().await();
  }

  static List<RideInProgress> rides(NodeRuntime n) {
    return n.services().store().rides().ridesIn(EnumSet.allOf(RideState.class)).await();
  }

  static long resolution9(LatLng p) throws Exception {
    return com.uber.h3core.H3Core.newInstance().latLngToCell(p.lat(), p.lng(), 9);
  }

  /** Arrived, picked up, dropped off by the driver; the receipt the node shows co-signed by the rider. */
  static TripReceipt complete(RideClient app, Credentials driver, BigInteger rideId) throws Exception {
    app.ok(driver, "/v1/rides/" + rideId + "/arrived", new JsonObject());
    app.ok(driver, "/v1/rides/" + rideId + "/pickup", new JsonObject());
    TripReceipt receipt = app.dropOff(driver, rideId, 5_000, 900,
        Hash.sha3(("route-" + rideId).getBytes(StandardCharsets.UTF_8)));
    JsonObject shown = app.getJson("/v1/rides/" + rideId);
    assertThat(shown.getString("receiptDigest"))
        .isEqualTo(Numeric.toHexString(coop.ledgerDomain.digest(receipt.structHash())));
    app.ok(rider, "/v1/rides/" + rideId + "/receipt/cosign",
        new JsonObject().put("signature", Numeric.toHexString(coop.cosign(receipt, rider))));
    return receipt;
  }

  static JsonObject awaitOffer(RideClient app, BigInteger rideId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject status = app.getJson("/v1/rides/" + rideId);
      if (status.containsKey("offers") && !status.getJsonArray("offers").isEmpty()) {
        return status.getJsonArray("offers").getJsonObject(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no offer for ride " + rideId + " within 30 s");
  }

  /** The states pushed on a ride's stream so far (after the ones already taken). */
  static List<String> statuses(BlockingQueue<JsonObject> stream) throws InterruptedException {
    return RideDeskTest.drain(stream).stream().filter(m -> m.getString("type").equals("status"))
        .map(m -> m.getString("state")).toList();
  }

  /** One RideSettled for the ride; rider, driver and the ledger's books right to the unit. */
  static void assertPaidOnce(BigInteger rideId, Offer offer, Credentials driver, TripReceipt receipt)
      throws Exception {
    EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
        coop.manifest.address("RideLedger"));
    filter.addSingleTopic(EventEncoder.encode(RideLedger.RIDESETTLED_EVENT));
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(rideId, 64));
    assertThat(coop.chain.web3j().ethGetLogs(filter).send().getLogs()).as("RideSettled logs").hasSize(1);

    FareParams params = coop.fareParams(offer.scheduleVersion());
    long fare = Math.min(Fare.of(params, receipt.distanceMetres(), receipt.durationSeconds()),
        offer.maxFare().longValueExact());
    long commission = Fare.commission(params, fare);
    RideLedger ledger = coop.ledger(rider);
    assertThat(ledger.walletOf(rider.getAddress()).send().component1()).isEqualTo(BigInteger.valueOf(DEPOSIT - fare));
    assertThat(ledger.driverOf(driver.getAddress()).send().component1()).isEqualTo(BigInteger.valueOf(fare - commission));
    assertThat(ledger.rideOf(rideId).send().component6().intValue()).as("Settled").isEqualTo(4);
    coop.assertMoneyInvariant(coop.devAddresses(), List.of(rideId));
  }
}
