package org.ridecoop.node.ride;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.SignedCall;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A driver's app against its own node, over real sockets: the signed offer stream, going online,
 * accepting an offer with the driver's EIP-712 signature, and reporting the ride's steps.
 */
final class DriverApp implements AutoCloseable {
  final Credentials driver;
  private final int port;
  private final WebClient http;
  private final Vertx vertx;
  private final BlockingQueue<JsonObject> pushed = new LinkedBlockingQueue<>();
  private WebSocket socket;
  private long nonces;

  DriverApp(Vertx vertx, int port, Credentials driver) {
    this.vertx = vertx;
    this.port = port;
    this.driver = driver;
    this.http = WebClient.create(vertx);
  }

  /** Opens the offer stream and goes online at {@code at}. */
  DriverApp online(LatLng at) throws Exception {
    String path = "/v1/drivers/" + driver.getAddress() + "/stream";
    SignedCall h = SignedCall.sign(driver, "GET", path, new byte[0], "ws" + System.nanoTime(), now() + 60);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(path)
        .addHeader(SignedCall.ADDRESS_HEADER, h.address()).addHeader(SignedCall.NONCE_HEADER, h.nonce())
        .addHeader(SignedCall.EXPIRY_HEADER, Long.toString(h.expiry()))
        .addHeader(SignedCall.SIGNATURE_HEADER, h.signature());
    // A handshake on a loaded machine is sometimes cut; the app tries again as a phone would.
    for (int attempt = 1; socket == null; attempt++) {
      try {
        socket = vertx.createWebSocketClient().connect(options).await(10, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        if (attempt == 3) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
    socket.textMessageHandler(m -> pushed.add(new JsonObject(m)));
    goOnline(at);
    return this;
  }

  /** Tells the node the driver takes rides again, at {@code at}. */
  void goOnline(LatLng at) {
    ok(post("/v1/drivers/" + driver.getAddress() + "/online", new JsonObject().put("lat", at.lat()).put("lng", at.lng())));
  }

  /** Waits for the next offer pushed to the driver, signs it and accepts it; returns the offer. */
  Offer acceptNextOffer(CoopFixture coop) throws InterruptedException {
    JsonObject message = nextOffer();
    JsonObject o = message.getJsonObject("offer");
    Offer offer = new Offer(Numeric.hexStringToByteArray(o.getString("requestHash")), o.getString("rider"),
        o.getString("driver"), BigInteger.valueOf(o.getLong("maxFare")), o.getLong("rideNonce"),
        o.getLong("etaSeconds"), o.getInteger("scheduleVersion"), o.getLong("expiry"));
    ok(post("/v1/drivers/" + driver.getAddress() + "/offers/" + message.getString("requestHash") + "/accept",
        new JsonObject().put("signature", Numeric.toHexString(coop.sign(offer, driver)))));
    return offer;
  }

  /** Waits until this node follows the booking of {@code rideId} (it saw RideBooked). */
  void awaitBooked(BigInteger rideId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<Buffer> r = http.get(port, "127.0.0.1", "/v1/rides/" + rideId).timeout(10_000).send().await();
      if (r.statusCode() == 200) {
        last = r.bodyAsJsonObject().getString("state");
        if (!"requested".equals(last) && !"offered".equals(last) && !"asking_peers".equals(last)) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the driver's node did not follow the booking of " + rideId + " (last " + last + ")");
  }

  /** Picks the rider up and drops it off after {@code metres} and {@code seconds}; times are the chain's. */
  void drive(BigInteger rideId, long metres, long seconds, long chainNow) {
    ok(post("/v1/rides/" + rideId + "/arrived", new JsonObject()));
    ok(post("/v1/rides/" + rideId + "/pickup", new JsonObject()));
    ok(post("/v1/rides/" + rideId + "/dropoff", new JsonObject().put("distanceMetres", metres)
        .put("durationSeconds", seconds).put("pickupAt", chainNow).put("dropoffAt", chainNow)
        .put("routeHash", Numeric.toHexString(Hash.sha3(("route-" + rideId).getBytes(StandardCharsets.UTF_8))))));
  }

  private JsonObject nextOffer() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject m = pushed.poll(200, TimeUnit.MILLISECONDS);
      if (m != null && "offer".equals(m.getString("type"))) {
        return m;
      }
    }
    throw new AssertionError("no offer pushed to " + driver.getAddress() + " within 20 s");
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) {
    String text = body.encode();
    SignedCall h = SignedCall.sign(driver, "POST", path, text.getBytes(StandardCharsets.UTF_8),
        "d" + (++nonces) + "-" + System.nanoTime(), now() + 60);
    return http.post(port, "127.0.0.1", path).timeout(10_000).putHeader("content-type", "application/json")
        .putHeader(SignedCall.ADDRESS_HEADER, h.address()).putHeader(SignedCall.NONCE_HEADER, h.nonce())
        .putHeader(SignedCall.EXPIRY_HEADER, Long.toString(h.expiry()))
        .putHeader(SignedCall.SIGNATURE_HEADER, h.signature())
        .sendBuffer(Buffer.buffer(text)).await();
  }

  private static void ok(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Override
  public void close() {
    if (socket != null && !socket.isClosed()) {
      socket.close();
    }
    http.close();
  }
}
