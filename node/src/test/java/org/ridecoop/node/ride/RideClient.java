package org.ridecoop.node.ride;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * A rider's or driver's app talking to one node over real sockets: signed calls, ride streams and
 * the few checks the ride tests repeat.
 */
final class RideClient {

  private final Vertx vertx;
  private final WebClient http;
  private final CoopFixture coop;
  private final int port;
  private final AtomicLong nonces = new AtomicLong();

  RideClient(Vertx vertx, CoopFixture coop, int port) {
    this.vertx = vertx;
    this.http = WebClient.create(vertx);
    this.coop = coop;
    this.port = port;
  }

  HttpResponse<Buffer> get(String path) {
    return http.get(port, "127.0.0.1", path).timeout(10_000).send().await();
  }

  JsonObject getJson(String path) {
    HttpResponse<Buffer> r = get(path);
    assertThat(r.statusCode()).as(path + " " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return send("POST", path, body.encode(), null);
  }

  /** A call signed by {@code key} ({@link CallSignature}). */
  HttpResponse<Buffer> signed(Credentials key, String path, JsonObject body) {
    String text = body.encode();
    return send("POST", path, text, CallSignature.sign(key, "POST", path, text.getBytes(StandardCharsets.UTF_8),
        "n" + nonces.incrementAndGet() + "-" + System.nanoTime(), System.currentTimeMillis() / 1000 + 60));
  }

  /** A signed call that must succeed; its answer. */
  JsonObject ok(Credentials key, String path, JsonObject body) {
    HttpResponse<Buffer> r = signed(key, path, body);
    assertThat(r.statusCode()).as(path + " " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> send(String method, String path, String body, String[] h) {
    HttpRequest<Buffer> r = http.request(HttpMethod.valueOf(method), port, "127.0.0.1", path)
        .putHeader("content-type", "application/json").timeout(10_000);
    if (h != null) {
      r.putHeader(CallSignature.ADDRESS, h[0]).putHeader(CallSignature.NONCE, h[1])
          .putHeader(CallSignature.EXPIRY, h[2]).putHeader(CallSignature.SIGNATURE, h[3]);
    }
    return r.sendBuffer(Buffer.buffer(body)).await();
  }

  /** The messages of a ride's stream, or of a driver's stream when {@code signer} is the driver. */
  BlockingQueue<JsonObject> stream(String path, Credentials signer) throws Exception {
    BlockingQueue<JsonObject> q = new LinkedBlockingQueue<>();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(path);
    if (signer != null) {
      String[] h = CallSignature.sign(signer, "GET", path, new byte[0], "ws" + System.nanoTime(),
          System.currentTimeMillis() / 1000 + 60);
      options.addHeader(CallSignature.ADDRESS, h[0]).addHeader(CallSignature.NONCE, h[1])
          .addHeader(CallSignature.EXPIRY, h[2]).addHeader(CallSignature.SIGNATURE, h[3]);
    }
    // The handler is set on the event loop as the socket opens: set after await() from this
    // thread, a first message the node sends at once could arrive before it and be dropped.
    vertx.createWebSocketClient().connect(options)
        .onSuccess(ws -> ws.textMessageHandler(m -> q.add(new JsonObject(m))))
        .await(10, TimeUnit.SECONDS);
    return q;
  }

  /** The rider's signed request for a ride from {@code pickup} to {@code dropoff}. */
  JsonObject rideRequest(Credentials rider, LatLng pickup, LatLng dropoff, long maxFare) throws Exception {
    long pickupCell = RideDeskTest.cell(pickup);
    long dropoffCell = RideDeskTest.cell(dropoff);
    long nonce = coop.nextRideNonce(rider);
    long expiry = coop.now() + 600;
    RideRequest r = new RideRequest(rider.getAddress(), pickupCell, dropoffCell, BigInteger.valueOf(maxFare), nonce,
        expiry, RideRequest.newSalt());
    return new JsonObject()
        .put("request", new JsonObject().put("rider", rider.getAddress())
            .put("pickupCell", Long.toHexString(pickupCell)).put("dropoffCell", Long.toHexString(dropoffCell))
            .put("maxFare", maxFare).put("rideNonce", nonce).put("expiry", expiry)
            .put("salt", Numeric.toHexString(r.salt())))
        .put("signature", Numeric.toHexString(MessageSigner.sign(coop.ledgerDomain, r.structHash(), rider)))
        .put("pickup", RideDeskTest.point(pickup))
        .put("dropoff", RideDeskTest.point(dropoff));
  }

  /** The driver accepts the offer pushed on its stream, signing it. */
  JsonObject accept(Credentials driver, JsonObject pushed) {
    byte[] signature = coop.sign(RideDeskTest.offer(pushed.getJsonObject("offer")), driver);
    return ok(driver, "/v1/drivers/" + driver.getAddress() + "/offers/" + pushed.getString("requestHash") + "/accept",
        new JsonObject().put("signature", Numeric.toHexString(signature)));
  }

  /** The driver ends the trip; the receipt the node shows the rider. */
  TripReceipt dropOff(Credentials driver, BigInteger rideId, long metres, long seconds, byte[] routeHash)
      throws Exception {
    // The ledger wants booking <= pickup <= drop-off <= now: the latest block's time fits.
    long t = coop.now();
    ok(driver, "/v1/rides/" + rideId + "/dropoff", new JsonObject().put("distanceMetres", metres)
        .put("durationSeconds", seconds).put("pickupAt", t).put("dropoffAt", t)
        .put("routeHash", Numeric.toHexString(routeHash)));
    return new TripReceipt(rideId, metres, seconds, t, t, routeHash);
  }

  /** Waits up to 30 s for the ride to be in {@code state} at this node. */
  void awaitState(BigInteger rideId, String state) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
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
    throw new AssertionError("ride " + rideId + " did not reach " + state + " at port " + port + " (last " + last + ")");
  }
}
