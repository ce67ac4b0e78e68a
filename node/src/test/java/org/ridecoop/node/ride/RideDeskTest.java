package org.ridecoop.node.ride;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.store.QueuedReceipt;
import org.ridecoop.node.federation.PeerOffer;
import org.ridecoop.node.store.SqliteStore;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A running node on a real socket, a real SQLite file and Anvil: a whole ride through the HTTP and
 * WebSocket API, and every class of refused input leaving nothing stored and nothing sent.
 */
@ExtendWith(AnvilExtension.class)
class RideDeskTest {

  static final LatLng PICKUP = new LatLng(48.8566, 2.3522);
  static final LatLng DROPOFF = new LatLng(48.8738, 2.2950);
  static final LatLng DRIVER_AT = new LatLng(48.8580, 2.3500);
  static final long DEPOSIT = 50_000_000;

  static CoopFixture coop;
  static Credentials driver;
  static Credentials rider;

  @TempDir
  Path dir;

  NodeRuntime node;
  RideDesk desk;
  Vertx client;
  WebClient http;
  int port;
  final AtomicLong nonces = new AtomicLong();

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    driver = coop.driver(0);
    rider = coop.rider(0);
    coop.join(driver, 0);
    coop.deposit(rider, DEPOSIT);
    // The nodes' own keys: registered nodes must be active driver members.
    coop.join(coop.driver(2), 0);
    coop.join(coop.driver(3), 0);
    // Node B's drivers let its key settle their receipts (RideLedger.setOperator).
    coop.ledger(driver).setOperator(coop.driver(2).getAddress(), true).send();
    coop.ledger(coop.driver(1)).setOperator(coop.driver(2).getAddress(), true).send();
  }

  @BeforeEach
  void startNode() throws Exception {
    port = NodeFiles.freePort();
    desk = new RideDesk(PeerOffers.NONE,
        RideDesk.Settings.of(List.of(driver.getAddress(), coop.driver(1).getAddress())), Clock.systemUTC());
    node = startNode(new ChainNode(dir.resolve("node"), coop, coop.driver(2)), port, desk);
    client = Vertx.vertx();
    http = WebClient.create(client);
  }

  /**
   * A node with the chain component, {@code desk}, settlement (receipts settled one by one within
   * 200 ms) and the indexer, on {@code port}, matching every 100 ms.
   */
  static NodeRuntime startNode(ChainNode files, int port, RideDesk desk) {
    return files.start(files.config(1, 200, "http://127.0.0.1:" + port, List.of(ChainNode.CELL), port, false,
        new NodeConfig.Matching(100, 12_000)), desk);
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop().await();
    }
    client.close().await();
  }

  // ---------------------------------------------------------------- the whole ride

  @Test
  void aWholeRideThroughTheApi() throws Exception {
    BlockingQueue<JsonObject> driverStream = stream("/v1/drivers/" + driver.getAddress() + "/stream");
    assertThat(signed(driver, "POST", "/v1/drivers/" + driver.getAddress() + "/online", position(DRIVER_AT)).statusCode())
        .isEqualTo(200);

    HttpResponse<Buffer> quote = post("/v1/quotes", new JsonObject()
        .put("pickup", point(PICKUP)).put("dropoff", point(DROPOFF)));
    assertThat(quote.statusCode()).as(quote.bodyAsString()).isEqualTo(200);
    JsonObject q = quote.bodyAsJsonObject();
    assertThat(q.getString("distanceSource")).isEqualTo("great_circle_x1.3");
    assertThat(q.getLong("distanceMetres")).isEqualTo(Math.round(PICKUP.metresTo(DROPOFF) * 1.3));
    FareParams params = coop.fareParams(q.getInteger("scheduleVersion"));
    assertThat(q.getLong("fare")).isEqualTo(Fare.of(params, q.getLong("distanceMetres"), q.getLong("durationSeconds")));
    long maxFare = q.getLong("fare") * 2;

    JsonObject requestBody = rideRequest(rider, maxFare, coop.nextRideNonce(rider), coop.now() + 600);
    HttpResponse<Buffer> requested = post("/v1/rides", requestBody);
    assertThat(requested.statusCode()).as(requested.bodyAsString()).isEqualTo(202);
    BigInteger rideId = new BigInteger(requested.bodyAsJsonObject().getString("rideId"));
    assertThat(rideId).isEqualTo(coop.rideIdOfNextBooking(rider));
    BlockingQueue<JsonObject> riderStream = stream("/v1/rides/" + rideId + "/stream");

    // The driver's screen gets the offer with why; the driver signs it and accepts.
    JsonObject pushed = next(driverStream, "offer");
    assertThat(pushed.getJsonObject("why").getInteger("etaSeconds")).isPositive();
    assertThat(pushed.getJsonObject("pickup").getDouble("lat")).isEqualTo(PICKUP.lat());
    Offer offer = offer(pushed.getJsonObject("offer"));
    assertThat(Numeric.toHexString(coop.ledgerDomain.digest(offer.structHash()))).isEqualTo(pushed.getString("digest"));
    byte[] driverSignature = coop.sign(offer, driver);
    String hash = pushed.getString("requestHash");
    HttpResponse<Buffer> accepted = signed(driver, "POST", "/v1/drivers/" + driver.getAddress() + "/offers/" + hash
        + "/accept", new JsonObject().put("signature", Numeric.toHexString(driverSignature)));
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(200);

    // The rider sees the signed offer, with the reason, on the stream and by GET.
    JsonObject offered = next(riderStream, "offer");
    assertThat(offered.getJsonObject("offer").getString("driverSignature")).isEqualTo(Numeric.toHexString(driverSignature));
    JsonObject status = getJson("/v1/rides/" + rideId);
    assertThat(status.getString("state")).isEqualTo("offered");
    assertThat(status.getJsonArray("offers").getJsonObject(0).getJsonObject("why").getString("text")).contains("away");

    // The rider books on chain with its own key; the node follows RideBooked.
    coop.ledger(rider).book(ContractStructs.offer(offer), ContractStructs.signature(driverSignature)).send();
    awaitState(rideId, "booked");
    assertThat(node.services().store().rides().openRequestCount().await()).isZero();

    assertThat(signed(driver, "POST", "/v1/rides/" + rideId + "/arrived", new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(signed(driver, "POST", "/v1/rides/" + rideId + "/pickup", new JsonObject()).statusCode()).isEqualTo(200);
    long t = coop.now();
    byte[] routeHash = Hash.sha3("route".getBytes(StandardCharsets.UTF_8));
    HttpResponse<Buffer> dropped = signed(driver, "POST", "/v1/rides/" + rideId + "/dropoff", new JsonObject()
        .put("distanceMetres", 5_000).put("durationSeconds", 900).put("pickupAt", t).put("dropoffAt", t)
        .put("routeHash", Numeric.toHexString(routeHash)));
    assertThat(dropped.statusCode()).as(dropped.bodyAsString()).isEqualTo(200);

    // The rider co-signs exactly the receipt the node shows.
    JsonObject shown = getJson("/v1/rides/" + rideId);
    assertThat(shown.getString("state")).isEqualTo("dropped_off");
    TripReceipt receipt = new TripReceipt(rideId, 5_000, 900, t, t, routeHash);
    assertThat(shown.getString("receiptDigest")).isEqualTo(Numeric.toHexString(coop.ledgerDomain.digest(receipt.structHash())));
    byte[] riderSignature = coop.cosign(receipt, rider);
    HttpResponse<Buffer> cosigned = signed(rider, "POST", "/v1/rides/" + rideId + "/receipt/cosign",
        new JsonObject().put("signature", Numeric.toHexString(riderSignature)));
    assertThat(cosigned.statusCode()).as(cosigned.bodyAsString()).isEqualTo(200);
    QueuedReceipt queued = node.services().store().receipts().find(rideId).await().orElseThrow();
    assertThat(queued.receipt().riderSignature()).isEqualTo(riderSignature);

    // The node's settlement queue settles it on chain; the node follows RideSettled.
    awaitState(rideId, "settled");
    List<String> states = drain(riderStream).stream().filter(m -> m.getString("type").equals("status"))
        .map(m -> m.getString("state")).toList();
    assertThat(states).contains("booked", "arrived", "picked_up", "dropped_off", "receipt_cosigned", "settled");

    long fare = Math.min(Fare.of(params, 5_000, 900), maxFare);
    long commission = Fare.commission(params, fare);
    assertThat(getJson("/v1/drivers/" + driver.getAddress() + "/earnings").getLong("earnings")).isEqualTo(fare - commission);
    assertThat(coop.ledger(rider).walletOf(rider.getAddress()).send().component1())
        .isEqualTo(BigInteger.valueOf(DEPOSIT - fare));
    coop.assertMoneyInvariant(coop.devAddresses(), List.of(rideId));

    // The acknowledged receipt was on disk: it is there after the node stops.
    node.stop().await();
    node = null;
    SqliteStore reopened = SqliteStore.open(client, dir.resolve("node").resolve("data")).await();
    try {
      assertThat(reopened.receipts().find(rideId).await()).isPresent();
    } finally {
      reopened.close().await();
    }
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void refusedInputStoresNothingAndSendsNothing() throws Exception {
    BlockingQueue<JsonObject> driverStream = stream("/v1/drivers/" + driver.getAddress() + "/stream");
    String online = "/v1/drivers/" + driver.getAddress() + "/online";
    assertThat(signed(driver, "POST", online, position(DRIVER_AT)).statusCode()).isEqualTo(200);
    long nonce = coop.nextRideNonce(rider);
    JsonObject good = rideRequest(rider, 20_000_000, nonce, coop.now() + 600);

    expect(raw("POST", "/v1/rides", "{\"request\": "), 400, "malformed_json");
    expect(post("/v1/rides", good.copy().put("colour", "red")), 400, "unknown_field");
    expect(post("/v1/rides", good.copy().put("signature", 12)), 400, "wrong_type");
    JsonObject stringFare = good.copy();
    stringFare.getJsonObject("request").put("maxFare", "20000000");
    expect(post("/v1/rides", stringFare), 400, "wrong_type");
    expect(raw("POST", "/v1/rides", "{\"pad\": \"" + "x".repeat(70_000) + "\"}"), 413, "body_too_large");
    JsonObject wrongCell = good.copy().put("pickup", point(DROPOFF));
    expect(post("/v1/rides", wrongCell), 400, "invalid_value");
    // Signed by another key, or altered after signing.
    JsonObject forged = rideRequest(rider, 20_000_000, nonce, coop.now() + 600, coop.rider(1));
    expect(post("/v1/rides", forged), 401, "unauthorized");
    JsonObject altered = good.copy();
    altered.getJsonObject("request").put("maxFare", 30_000_000);
    expect(post("/v1/rides", altered), 401, "unauthorized");
    expect(post("/v1/rides", rideRequest(rider, 20_000_000, nonce, coop.now() - 5)), 401, "unauthorized");
    expect(post("/v1/rides", rideRequest(rider, 20_000_000, nonce + 1, coop.now() + 600)), 409, "wrong_ride_nonce");

    // Signed calls: bad signature, expired, someone else's, replayed.
    JsonObject body = position(DRIVER_AT);
    String[] h = CallSignature.sign(driver, "POST", online, body.encode().getBytes(StandardCharsets.UTF_8), "n-1",
        now() + 60);
    expect(withHeaders("POST", online, body.put("lat", 48.0).encode(), h), 401, "unauthorized");
    expect(signedAt(driver, "POST", online, position(DRIVER_AT), "n-2", now() - 1), 401, "unauthorized");
    expect(signedAt(driver, "POST", online, position(DRIVER_AT), "n-3", now() + 3600), 401, "unauthorized");
    expect(signed(rider, "POST", online, position(DRIVER_AT)), 403, "forbidden");
    expect(raw("POST", online, position(DRIVER_AT).encode()), 401, "unauthorized");
    String[] once = CallSignature.sign(driver, "POST", online,
        position(DRIVER_AT).encode().getBytes(StandardCharsets.UTF_8), "n-4", now() + 60);
    assertThat(withHeaders("POST", online, position(DRIVER_AT).encode(), once).statusCode()).isEqualTo(200);
    expect(withHeaders("POST", online, position(DRIVER_AT).encode(), once), 401, "unauthorized");
    expect(signed(driver, "POST", online, new JsonObject().put("lat", 91.0).put("lng", 2.0)), 400, "invalid_value");

    // Unknown rides and actions out of order.
    expect(get("/v1/rides/12345"), 404, "not_found");
    // A stream of an unknown ride is closed by the node.
    WebSocket unknown = client.createWebSocketClient().connect(port, "127.0.0.1", "/v1/rides/12345/stream")
        .await(10, TimeUnit.SECONDS);
    long until = System.currentTimeMillis() + 5_000;
    while (!unknown.isClosed() && System.currentTimeMillis() < until) {
      Thread.sleep(50);
    }
    assertThat(unknown.isClosed()).isTrue();
    // Only the driver may listen to its offers.
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> stream("/v1/drivers/" + driver.getAddress() + "/stream", null)).hasMessageContaining("401");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> stream("/v1/drivers/" + driver.getAddress() + "/stream", rider)).hasMessageContaining("403");
    expect(signed(driver, "POST", "/v1/rides/12345/pickup", new JsonObject()), 404, "not_found");
    expect(signed(driver, "POST", "/v1/drivers/" + driver.getAddress() + "/offers/0x" + "ab".repeat(32)
        + "/accept", new JsonObject().put("signature", "0x" + "11".repeat(65))), 409, "offer_gone");
    expect(signedAt(rider, "POST", "/v1/rides/12345/receipt/cosign",
        new JsonObject().put("signature", "0x" + "11".repeat(65)), "n-5", now() + 60), 404, "not_found");

    // Nothing stored, nothing sent: no request, no receipt, no offer pushed; a nonce of a refused
    // call is still fresh.
    SqliteStore store = node.services().store();
    assertThat(store.rides().openRequestCount().await()).isZero();
    assertThat(store.receipts().pendingCount().await()).isZero();
    Thread.sleep(300); // several matching windows
    assertThat(driverStream).isEmpty();
    assertThat(signedAt(driver, "POST", online, position(DRIVER_AT), "n-2", now() + 60).statusCode()).isEqualTo(200);
    assertThat(signedAt(rider, "POST", "/v1/rides/12345/receipt/cosign",
        new JsonObject().put("signature", "0x" + "11".repeat(65)), "n-5", now() + 60).statusCode()).isEqualTo(404);
  }

  @Test
  void anOfferDeclinedGoesToTheNextDriverAndAPickupBeforeBookingIsOutOfOrder() throws Exception {
    Credentials second = coop.driver(1);
    coop.join(second, 0);
    BlockingQueue<JsonObject> first = stream("/v1/drivers/" + driver.getAddress() + "/stream");
    BlockingQueue<JsonObject> other = stream("/v1/drivers/" + second.getAddress() + "/stream");
    assertThat(signed(driver, "POST", "/v1/drivers/" + driver.getAddress() + "/online", position(DRIVER_AT)).statusCode())
        .isEqualTo(200);
    assertThat(signed(second, "POST", "/v1/drivers/" + second.getAddress() + "/online",
        position(new LatLng(48.8600, 2.3400))).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> requested = post("/v1/rides",
        rideRequest(rider, 20_000_000, coop.nextRideNonce(rider), coop.now() + 600));
    assertThat(requested.statusCode()).isEqualTo(202);
    String rideId = requested.bodyAsJsonObject().getString("rideId");
    JsonObject toFirst = next(first, "offer");
    String hash = toFirst.getString("requestHash");
    expect(signed(driver, "POST", "/v1/rides/" + rideId + "/pickup", new JsonObject()), 409, "out_of_order");
    assertThat(signed(driver, "POST", "/v1/drivers/" + driver.getAddress() + "/offers/" + hash + "/decline",
        new JsonObject()).statusCode()).isEqualTo(200);
    JsonObject toSecond = next(other, "offer");
    assertThat(toSecond.getString("requestHash")).isEqualTo(hash);
    assertThat(toSecond.getJsonObject("offer").getString("driver")).isEqualToIgnoringCase(second.getAddress());
    // The first driver's signature is refused for the second driver's offer.
    Offer o = offer(toSecond.getJsonObject("offer"));
    expect(signed(second, "POST", "/v1/drivers/" + second.getAddress() + "/offers/" + hash + "/accept",
        new JsonObject().put("signature", Numeric.toHexString(coop.sign(o, driver)))), 401, "unauthorized");
    assertThat(node.services().store().rides().offersFor(hash).await()).isEmpty();
    // The rider withdraws the request.
    assertThat(signed(rider, "POST", "/v1/rides/" + rideId + "/cancel", new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(node.services().store().rides().openRequestCount().await()).isZero();
    expect(get("/v1/rides/" + rideId), 404, "not_found");
  }

  @Test
  void aRequestNoLocalDriverCanServeGoesToAPeerWhoseDriverOffers() throws Exception {
    // Node A has no drivers; its peer is this test's node (B), asked through B's seam.
    int portA = NodeFiles.freePort();
    List<SignedRideRequest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.net.URI servedAt = java.net.URI.create("http://127.0.0.1:" + port); // B, this test's node
    RideDesk deskA = new RideDesk((request, pickup) -> {
      asked.add(request);
      return desk.offersFor(request, pickup)
          .map(offers -> offers.stream().map(o -> new PeerOffer(o, servedAt)).toList());
    }, RideDesk.Settings.of(List.of()), Clock.systemUTC());
    NodeRuntime nodeA = startNode(new ChainNode(dir.resolve("a"), coop, coop.driver(3)), portA, deskA);
    try {
      BlockingQueue<JsonObject> driverStream = stream("/v1/drivers/" + driver.getAddress() + "/stream");
      assertThat(signed(driver, "POST", "/v1/drivers/" + driver.getAddress() + "/online", position(DRIVER_AT))
          .statusCode()).isEqualTo(200);
      int portB = port;
      port = portA;
      HttpResponse<Buffer> requested = post("/v1/rides",
          rideRequest(rider, 20_000_000, coop.nextRideNonce(rider), coop.now() + 600));
      assertThat(requested.statusCode()).as(requested.bodyAsString()).isEqualTo(202);
      BigInteger rideId = new BigInteger(requested.bodyAsJsonObject().getString("rideId"));

      // B's driver gets the peer's request and accepts it on B.
      port = portB;
      JsonObject pushed = next(driverStream, "offer");
      // The exact pickup point came along: B's driver knows where to go.
      assertThat(pushed.getJsonObject("pickup").getDouble("lat")).isEqualTo(PICKUP.lat());
      assertThat(pushed.getJsonObject("pickup").getDouble("lng")).isEqualTo(PICKUP.lng());
      Offer offer = offer(pushed.getJsonObject("offer"));
      byte[] signature = coop.sign(offer, driver);
      assertThat(signed(driver, "POST", "/v1/drivers/" + driver.getAddress() + "/offers/"
          + pushed.getString("requestHash") + "/accept",
          new JsonObject().put("signature", Numeric.toHexString(signature))).statusCode()).isEqualTo(200);
      assertThat(asked).hasSize(1);

      // A's rider sees the peer's signed offer, books it, and A follows the booking.
      port = portA;
      long deadline = System.currentTimeMillis() + 15_000;
      JsonObject status = getJson("/v1/rides/" + rideId);
      while (status.getJsonArray("offers").isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        status = getJson("/v1/rides/" + rideId);
      }
      JsonObject peerOffer = status.getJsonArray("offers").getJsonObject(0);
      assertThat(peerOffer.getBoolean("fromPeer")).isTrue();
      // The rider is told where the peer's driver's ride will be served.
      assertThat(peerOffer.getString("servedAt")).isEqualTo("http://127.0.0.1:" + portB);
      assertThat(peerOffer.getString("driverSignature")).isEqualTo(Numeric.toHexString(signature));
      coop.ledger(rider).book(ContractStructs.offer(offer), ContractStructs.signature(signature)).send();
      awaitState(rideId, "booked");
      port = portB;

      // A pickup point outside the signed pickup cell is refused (400), nothing is matched.
      Throwable refused = desk.offersFor(asked.get(0), DROPOFF)
          .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await();
      assertThat(refused).isInstanceOf(org.ridecoop.node.api.ApiError.class);
      assertThat(((org.ridecoop.node.api.ApiError) refused).status()).isEqualTo(400);
    } finally {
      nodeA.stop().await();
    }
  }

  @Test
  void aFollowerArrivingAfterTheNodeStartedAskingPeersIsToldSoAndWhy() throws Exception {
    // Node A has no drivers; its peers take their time (the answer is held back until the end).
    int portA = NodeFiles.freePort();
    Promise<List<PeerOffer>> peersAnswer = Promise.promise();
    CountDownLatch asked = new CountDownLatch(1);
    RideDesk deskA = new RideDesk((request, pickup) -> {
      asked.countDown();
      return peersAnswer.future();
    }, RideDesk.Settings.of(List.of()), Clock.systemUTC());
    NodeRuntime nodeA = startNode(new ChainNode(dir.resolve("a"), coop, coop.driver(3)), portA, deskA);
    try {
      port = portA;
      HttpResponse<Buffer> requested = post("/v1/rides",
          rideRequest(rider, 20_000_000, coop.nextRideNonce(rider), coop.now() + 600));
      assertThat(requested.statusCode()).as(requested.bodyAsString()).isEqualTo(202);
      BigInteger rideId = new BigInteger(requested.bodyAsJsonObject().getString("rideId"));
      assertThat(asked.await(15, TimeUnit.SECONDS)).as("the node asked its peers").isTrue();

      // Connected after asking_peers was pushed: the first message says so, with why.
      JsonObject first = stream("/v1/rides/" + rideId + "/stream").poll(10, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(first.getString("type")).isEqualTo("status");
      assertThat(first.getString("state")).isEqualTo("asking_peers");
      assertThat(first.getString("why")).isEqualTo("no_driver_in_reach");

      JsonObject status = getJson("/v1/rides/" + rideId);
      assertThat(status.getString("state")).isEqualTo("asking_peers");
      assertThat(status.getString("why")).isEqualTo("no_driver_in_reach");
      assertThat(status.getJsonArray("offers")).isEmpty();
    } finally {
      peersAnswer.tryComplete(List.of());
      nodeA.stop().await();
    }
  }

  @Test
  void theOpenApiDocumentDescribesEveryRideRoute() {
    JsonObject paths = getJson("/v1/openapi.json").getJsonObject("paths");
    assertThat(paths.fieldNames()).contains("/v1/quotes", "/v1/rides", "/v1/rides/{id}", "/v1/rides/{id}/stream",
        "/v1/rides/{id}/cancel", "/v1/rides/{id}/arrived", "/v1/rides/{id}/pickup", "/v1/rides/{id}/dropoff",
        "/v1/rides/{id}/receipt/cosign", "/v1/rides/{id}/dispute", "/v1/drivers/{addr}/online",
        "/v1/drivers/{addr}/location", "/v1/drivers/{addr}/offline", "/v1/drivers/{addr}/stream",
        "/v1/drivers/{addr}/offers/{hash}/accept", "/v1/drivers/{addr}/offers/{hash}/decline",
        "/v1/drivers/{addr}/earnings");
  }

  // ---------------------------------------------------------------- safety

  @Test
  void aDisputeAfterCoSigningIsRefusedAndTheRideSettles() throws Exception {
    BlockingQueue<JsonObject> driverStream = stream("/v1/drivers/" + driver.getAddress() + "/stream");
    assertThat(signed(driver, "POST", "/v1/drivers/" + driver.getAddress() + "/online", position(DRIVER_AT))
        .statusCode()).isEqualTo(200);
    HttpResponse<Buffer> requested = post("/v1/rides",
        rideRequest(rider, 20_000_000, coop.nextRideNonce(rider), coop.now() + 600));
    assertThat(requested.statusCode()).as(requested.bodyAsString()).isEqualTo(202);
    BigInteger rideId = new BigInteger(requested.bodyAsJsonObject().getString("rideId"));
    JsonObject pushed = next(driverStream, "offer");
    Offer offer = offer(pushed.getJsonObject("offer"));
    byte[] driverSignature = coop.sign(offer, driver);
    assertThat(signed(driver, "POST", "/v1/drivers/" + driver.getAddress() + "/offers/"
        + pushed.getString("requestHash") + "/accept",
        new JsonObject().put("signature", Numeric.toHexString(driverSignature))).statusCode()).isEqualTo(200);
    coop.ledger(rider).book(ContractStructs.offer(offer), ContractStructs.signature(driverSignature)).send();
    awaitState(rideId, "booked");
    assertThat(signed(driver, "POST", "/v1/rides/" + rideId + "/pickup", new JsonObject()).statusCode()).isEqualTo(200);
    long t = coop.now();
    byte[] routeHash = Hash.sha3("route".getBytes(StandardCharsets.UTF_8));
    assertThat(signed(driver, "POST", "/v1/rides/" + rideId + "/dropoff", new JsonObject()
        .put("distanceMetres", 4_000).put("durationSeconds", 600).put("pickupAt", t).put("dropoffAt", t)
        .put("routeHash", Numeric.toHexString(routeHash))).statusCode()).isEqualTo(200);
    TripReceipt receipt = new TripReceipt(rideId, 4_000, 600, t, t, routeHash);
    assertThat(signed(rider, "POST", "/v1/rides/" + rideId + "/receipt/cosign",
        new JsonObject().put("signature", Numeric.toHexString(coop.cosign(receipt, rider)))).statusCode()).isEqualTo(200);

    // At once, before settlement: the ledger gives a co-signed receipt no dispute window.
    HttpResponse<Buffer> disputed = signed(rider, "POST", "/v1/rides/" + rideId + "/dispute", new JsonObject());
    expect(disputed, 409, "receipt_cosigned");
    assertThat(disputed.bodyAsJsonObject().getString("reason")).contains("settlement under way");
    awaitState(rideId, "settled");
    // And once settled, a dispute is out of order.
    expect(signed(rider, "POST", "/v1/rides/" + rideId + "/dispute", new JsonObject()), 409, "out_of_order");
  }

  @Test
  void absurdRequestsAreRefusedWithA4xxAndNothingIsStored() throws Exception {
    long nonce = coop.nextRideNonce(rider);
    // An expiry hours ahead: a signed request must not stand that long.
    HttpResponse<Buffer> far = post("/v1/rides", rideRequest(rider, 20_000_000, nonce, coop.now() + 3 * 3600));
    expect(far, 400, "invalid_value");
    assertThat(far.bodyAsJsonObject().getString("reason")).contains("maxRequestAheadSeconds");
    assertThat(node.services().store().rides().openRequestCount().await()).isZero();

    // A quote with a duration beyond uint32 seconds (was a 500: the fare's arithmetic overflowed).
    expect(post("/v1/quotes", new JsonObject().put("pickup", point(PICKUP)).put("dropoff", point(DROPOFF))
        .put("durationSeconds", Long.MAX_VALUE / 2)), 400, "invalid_value");
    expect(post("/v1/quotes", new JsonObject().put("pickup", point(PICKUP)).put("dropoff", point(DROPOFF))
        .put("durationSeconds", -1)), 400, "invalid_value");
    // A route around the globe many times over.
    io.vertx.core.json.JsonArray route = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < 2_000; i++) {
      route.add(point(i % 2 == 0 ? new LatLng(80, 0) : new LatLng(-80, 179)));
    }
    expect(post("/v1/quotes", new JsonObject().put("pickup", point(PICKUP)).put("dropoff", point(DROPOFF))
        .put("route", route)), 400, "invalid_value");

    // One request per (rider, rideNonce): the same signed request again is answered as the first
    // time; another request with the same nonce is refused and not stored.
    JsonObject first = rideRequest(rider, 20_000_000, nonce, coop.now() + 600);
    HttpResponse<Buffer> accepted = post("/v1/rides", first);
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    HttpResponse<Buffer> again = post("/v1/rides", first);
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(202);
    assertThat(again.bodyAsJsonObject()).isEqualTo(accepted.bodyAsJsonObject());
    HttpResponse<Buffer> variant = post("/v1/rides", rideRequest(rider, 25_000_000, nonce, coop.now() + 600));
    expect(variant, 409, "ride_nonce_in_use");
    assertThat(node.services().store().rides().openRequestCount().await()).isEqualTo(1);
    JsonObject status = getJson("/v1/rides/" + accepted.bodyAsJsonObject().getString("rideId"));
    assertThat(status.getString("requestHash")).isEqualTo(accepted.bodyAsJsonObject().getString("requestHash"));
  }

  @Test
  void aFullBacklogAnswers503WithRetryAfterInsteadOfQueueing() throws Exception {
    // A node that matches at most one request at a time and never finds a driver (none online).
    node.stop().await();
    desk = new RideDesk(PeerOffers.NONE, RideDesk.Settings.of(List.of(driver.getAddress())), Clock.systemUTC());
    ChainNode files = new ChainNode(dir.resolve("node"), coop, coop.driver(2));
    node = files.start(files.config(1, 200, "http://127.0.0.1:" + port, List.of(ChainNode.CELL), port, false,
        new NodeConfig.Matching(100, 12_000, 900, 1)), desk);
    int riders = 4;
    List<io.vertx.core.Future<HttpResponse<Buffer>>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < riders; i++) {
      Credentials r = coop.rider(i);
      JsonObject body = rideRequest(r, 20_000_000, coop.nextRideNonce(r), coop.now() + 600);
      answers.add(http.post(port, "127.0.0.1", "/v1/rides").putHeader("content-type", "application/json")
          .timeout(10_000).sendBuffer(Buffer.buffer(body.encode())));
    }
    io.vertx.core.Future.join(answers).await();
    List<HttpResponse<Buffer>> all = answers.stream().map(io.vertx.core.Future::result).toList();
    assertThat(all).filteredOn(r -> r.statusCode() == 202).hasSize(1);
    List<HttpResponse<Buffer>> refused = all.stream().filter(r -> r.statusCode() != 202).toList();
    assertThat(refused).hasSize(riders - 1);
    for (HttpResponse<Buffer> r : refused) {
      expect(r, 503, "overloaded");
      assertThat(r.getHeader("retry-after")).isNotNull();
      assertThat(Long.parseLong(r.getHeader("retry-after"))).isPositive();
    }
    assertThat(node.services().store().rides().openRequestCount().await()).isEqualTo(1);
    assertThat(get("/metrics").bodyAsString())
        .containsPattern("ridecoop_http_refused_total\\{[^}]*reason=\"pending_requests\"[^}]*\\} 3\\.0");
  }

  // ---------------------------------------------------------------- client side

  JsonObject rideRequest(Credentials who, long maxFare, long rideNonce, long expiry) {
    return rideRequest(who, maxFare, rideNonce, expiry, who);
  }

  JsonObject rideRequest(Credentials who, long maxFare, long rideNonce, long expiry, Credentials signer) {
    long pickupCell = cell(PICKUP);
    long dropoffCell = cell(DROPOFF);
    RideRequest r = new RideRequest(who.getAddress(), pickupCell, dropoffCell, BigInteger.valueOf(maxFare), rideNonce, expiry,
        RideRequest.newSalt());
    byte[] sig = MessageSigner.sign(coop.ledgerDomain, r.structHash(), signer);
    return new JsonObject()
        .put("request", new JsonObject().put("rider", who.getAddress())
            .put("pickupCell", Long.toHexString(pickupCell)).put("dropoffCell", Long.toHexString(dropoffCell))
            .put("maxFare", maxFare).put("rideNonce", rideNonce).put("expiry", expiry)
            .put("salt", Numeric.toHexString(r.salt())))
        .put("signature", Numeric.toHexString(sig))
        .put("pickup", point(PICKUP))
        .put("dropoff", point(DROPOFF));
  }

  static long cell(LatLng p) {
    try {
      return com.uber.h3core.H3Core.newInstance().latLngToCell(p.lat(), p.lng(), 7);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Offer offer(JsonObject o) {
    return new Offer(Numeric.hexStringToByteArray(o.getString("requestHash")), o.getString("rider"),
        o.getString("driver"), BigInteger.valueOf(o.getLong("maxFare")), o.getLong("rideNonce"),
        o.getLong("etaSeconds"), o.getInteger("scheduleVersion"), o.getLong("expiry"));
  }

  static JsonObject point(LatLng p) {
    return new JsonObject().put("lat", p.lat()).put("lng", p.lng());
  }

  static JsonObject position(LatLng p) {
    return point(p);
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return raw("POST", path, body.encode());
  }

  HttpResponse<Buffer> get(String path) {
    return http.get(port, "127.0.0.1", path).timeout(10_000).send().await();
  }

  JsonObject getJson(String path) {
    HttpResponse<Buffer> r = get(path);
    assertThat(r.statusCode()).as(path + " " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  HttpResponse<Buffer> raw(String method, String path, String body) {
    return withHeaders(method, path, body, null);
  }

  HttpResponse<Buffer> signed(Credentials key, String method, String path, JsonObject body) {
    return signedAt(key, method, path, body, "n" + nonces.incrementAndGet() + "-" + System.nanoTime(), now() + 60);
  }

  HttpResponse<Buffer> signedAt(Credentials key, String method, String path, JsonObject body, String nonce, long expiry) {
    String text = body.encode();
    return withHeaders(method, path, text,
        CallSignature.sign(key, method, path, text.getBytes(StandardCharsets.UTF_8), nonce, expiry));
  }

  HttpResponse<Buffer> withHeaders(String method, String path, String body, String[] h) {
    HttpRequest<Buffer> r = http.request(HttpMethod.valueOf(method), port, "127.0.0.1", path)
        .putHeader("content-type", "application/json").timeout(10_000);
    if (h != null) {
      r.putHeader(CallSignature.ADDRESS, h[0]).putHeader(CallSignature.NONCE, h[1])
          .putHeader(CallSignature.EXPIRY, h[2]).putHeader(CallSignature.SIGNATURE, h[3]);
    }
    return r.sendBuffer(Buffer.buffer(body)).await();
  }

  static void expect(HttpResponse<Buffer> r, int status, String code) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.bodyAsJsonObject().getString("error")).as(r.bodyAsString()).isEqualTo(code);
    assertThat(r.bodyAsJsonObject().getString("reason")).isNotBlank();
  }

  BlockingQueue<JsonObject> stream(String path) {
    Credentials who = path.startsWith("/v1/drivers/")
        ? (path.contains(driver.getAddress()) ? driver : coop.driver(1)) : null;
    return stream(path, who);
  }

  BlockingQueue<JsonObject> stream(String path, Credentials signer) {
    BlockingQueue<JsonObject> q = new LinkedBlockingQueue<>();
    WebSocketClient ws = client.createWebSocketClient();
    io.vertx.core.http.WebSocketConnectOptions options = new io.vertx.core.http.WebSocketConnectOptions()
        .setPort(port).setHost("127.0.0.1").setURI(path);
    if (signer != null) {
      String[] h = CallSignature.sign(signer, "GET", path, new byte[0], "ws" + System.nanoTime(), now() + 60);
      options.addHeader(CallSignature.ADDRESS, h[0]).addHeader(CallSignature.NONCE, h[1])
          .addHeader(CallSignature.EXPIRY, h[2]).addHeader(CallSignature.SIGNATURE, h[3]);
    }
    WebSocket socket;
    try {
      socket = ws.connect(options).await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no WebSocket handshake for " + path + " within 10 s");
    }
    socket.textMessageHandler(m -> q.add(new JsonObject(m)));
    return q;
  }

  static JsonObject next(BlockingQueue<JsonObject> q, String type) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject m = q.poll(200, TimeUnit.MILLISECONDS);
      if (m != null && m.getString("type").equals(type)) {
        return m;
      }
    }
    throw new AssertionError("no '" + type + "' message within 15 s");
  }

  static List<JsonObject> drain(BlockingQueue<JsonObject> q) throws InterruptedException {
    Thread.sleep(200);
    List<JsonObject> all = new java.util.ArrayList<>();
    q.drainTo(all);
    return all;
  }

  void awaitState(BigInteger rideId, String state) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<Buffer> r = get("/v1/rides/" + rideId);
      if (r.statusCode() == 200) {
        last = r.bodyAsJsonObject().getString("state");
        if (state.equals(last)) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("ride " + rideId + " did not reach " + state + " (last " + last + ")");
  }

}
