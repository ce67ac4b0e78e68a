package org.ridecoop.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.h3core.H3Core;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.ride.CallSignature;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.protocol.TripReceipt;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The rider's and the driver's side of a ride, spoken to a node from outside as their apps do:
 * plain HTTP and WebSocket on loopback, every change signed by the caller's key (EIP-191 call
 * signatures), the ride request, the offer and the trip receipt signed as EIP-712 messages. Each
 * call asserts the answer a user expects and names the node's reason when it differs.
 *
 * <p>Make a new one after the node restarts: its connections died with the node.
 */
public final class RideParties {

  // The wire names of the call-signature headers (the node's CallSignature checks them).
  private static final String ADDRESS = "X-Ridecoop-Address";
  private static final String NONCE = "X-Ridecoop-Nonce";
  private static final String EXPIRY = "X-Ridecoop-Expiry";
  private static final String SIGNATURE = "X-Ridecoop-Signature";

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final AtomicLong CALLS = new AtomicLong();

  private final URI node;
  private final Eip712Domain ledgerDomain;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final H3Core h3;

  /** What a driver accepted: the node's offer and the driver's EIP-712 signature of it. */
  public record Accepted(Offer offer, byte[] signature) {}

  /**
   * @param node the node's HTTP base address
   * @param ledgerDomain the RideLedger's EIP-712 domain the messages are signed in
   */
  public RideParties(URI node, Eip712Domain ledgerDomain) {
    this.node = node;
    this.ledgerDomain = ledgerDomain;
    try {
      this.h3 = H3Core.newInstance();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- driver

  /** Opens the driver's signed offer stream; messages arrive in the returned queue. */
  public BlockingQueue<JsonObject> driverStream(Credentials driver) throws Exception {
    String path = "/v1/drivers/" + driver.getAddress() + "/stream";
    BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    String[] h = CallSignature.sign(driver, "GET", path, new byte[0], nonce(), nowSeconds() + 60);
    URI ws = URI.create("ws://" + node.getHost() + ":" + node.getPort() + path);
    http.newWebSocketBuilder().header(ADDRESS, h[0]).header(NONCE, h[1]).header(EXPIRY, h[2]).header(SIGNATURE, h[3])
        .buildAsync(ws, new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              messages.add(new JsonObject(partial.toString()));
              partial.setLength(0);
            }
            socket.request(1);
            return null;
          }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return messages;
  }

  /** The driver goes online at {@code at}. */
  public void online(Credentials driver, LatLng at) throws Exception {
    expect(signed(driver, "/v1/drivers/" + driver.getAddress() + "/online", point(at)), 200);
  }

  /** The driver signs the offer pushed to it ({@code pushed}, an {@code offer} message) and accepts it. */
  public Accepted accept(Credentials driver, JsonObject pushed) throws Exception {
    JsonObject o = pushed.getJsonObject("offer");
    Offer offer = new Offer(Numeric.hexStringToByteArray(o.getString("requestHash")), o.getString("rider"),
        o.getString("driver"), BigInteger.valueOf(o.getLong("maxFare")), o.getLong("rideNonce"),
        o.getLong("etaSeconds"), o.getInteger("scheduleVersion"), o.getLong("expiry"));
    // The driver's app signs only what it can check: the digest it is shown is the offer's.
    assertThat(pushed.getString("digest")).isEqualTo(Numeric.toHexString(ledgerDomain.digest(offer.structHash())));
    byte[] signature = MessageSigner.sign(ledgerDomain, offer.structHash(), driver);
    expect(signed(driver, "/v1/drivers/" + driver.getAddress() + "/offers/" + pushed.getString("requestHash")
        + "/accept", new JsonObject().put("signature", Numeric.toHexString(signature))), 200);
    return new Accepted(offer, signature);
  }

  /** The driver reports arriving at the pickup. */
  public void arrived(Credentials driver, BigInteger rideId) throws Exception {
    expect(signed(driver, "/v1/rides/" + rideId + "/arrived", new JsonObject()), 200);
  }

  /** The driver reports the rider on board. */
  public void pickup(Credentials driver, BigInteger rideId) throws Exception {
    expect(signed(driver, "/v1/rides/" + rideId + "/pickup", new JsonObject()), 200);
  }

  /**
   * The driver ends the ride: the node drafts the trip receipt from what the driver reports.
   *
   * @param at the pickup and drop-off time (unix seconds, not after the chain's latest block)
   * @return the receipt the rider will be asked to co-sign
   */
  public TripReceipt dropoff(Credentials driver, BigInteger rideId, long metres, long seconds, long at)
      throws Exception {
    byte[] routeHash = Hash.sha3(("route-" + rideId).getBytes(StandardCharsets.UTF_8));
    expect(signed(driver, "/v1/rides/" + rideId + "/dropoff", new JsonObject()
        .put("distanceMetres", metres).put("durationSeconds", seconds).put("pickupAt", at).put("dropoffAt", at)
        .put("routeHash", Numeric.toHexString(routeHash))), 200);
    return new TripReceipt(rideId, metres, seconds, at, at, routeHash);
  }

  // ---------------------------------------------------------------- rider

  /** The rider asks for a ride with a signed {@code RideRequest}; returns the ride id. */
  public BigInteger request(Credentials rider, LatLng pickup, LatLng dropoff, long maxFare, long rideNonce,
      long expiry) throws Exception {
    return new BigInteger(expect(requestAnswer(rider, pickup, dropoff, maxFare, rideNonce, expiry), 202)
        .getString("rideId"));
  }

  /** As {@link #request}, but the node's answer as it came, whatever its status. */
  public HttpResponse<String> requestAnswer(Credentials rider, LatLng pickup, LatLng dropoff, long maxFare,
      long rideNonce, long expiry) throws Exception {
    long pickupCell = h3.latLngToCell(pickup.lat(), pickup.lng(), 7);
    long dropoffCell = h3.latLngToCell(dropoff.lat(), dropoff.lng(), 7);
    RideRequest r = new RideRequest(rider.getAddress(), pickupCell, dropoffCell, BigInteger.valueOf(maxFare),
        rideNonce, expiry, RideRequest.newSalt());
    JsonObject body = new JsonObject()
        .put("request", new JsonObject().put("rider", rider.getAddress())
            .put("pickupCell", Long.toHexString(pickupCell)).put("dropoffCell", Long.toHexString(dropoffCell))
            .put("maxFare", maxFare).put("rideNonce", rideNonce).put("expiry", expiry)
            .put("salt", Numeric.toHexString(r.salt())))
        .put("signature", Numeric.toHexString(MessageSigner.sign(ledgerDomain, r.structHash(), rider)))
        .put("pickup", point(pickup))
        .put("dropoff", point(dropoff));
    return send(HttpRequest.newBuilder(node.resolve("/v1/rides"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** A fare quote between two points ({@code POST /v1/quotes}, expected 200). */
  public JsonObject quote(LatLng pickup, LatLng dropoff) throws Exception {
    return expect(send(HttpRequest.newBuilder(node.resolve("/v1/quotes"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("pickup", point(pickup))
            .put("dropoff", point(dropoff)).encode()))), 200);
  }

  /**
   * The rider co-signs the receipt after checking it is exactly the one the node shows; the node
   * acknowledges with 200 once the receipt is on its disk.
   */
  public void cosign(Credentials rider, TripReceipt receipt) throws Exception {
    JsonObject shown = ride(receipt.rideId());
    assertThat(shown.getString("state")).isEqualTo("dropped_off");
    assertThat(shown.getString("receiptDigest"))
        .isEqualTo(Numeric.toHexString(ledgerDomain.digest(receipt.structHash())));
    byte[] signature = MessageSigner.sign(ledgerDomain, receipt.structHash(), rider);
    expect(signed(rider, "/v1/rides/" + receipt.rideId() + "/receipt/cosign",
        new JsonObject().put("signature", Numeric.toHexString(signature))), 200);
  }

  // ---------------------------------------------------------------- anyone

  /** The ride as the node shows it ({@code GET /v1/rides/:id}, expected 200). */
  public JsonObject ride(BigInteger rideId) throws Exception {
    return expect(get("/v1/rides/" + rideId), 200);
  }

  /** Waits until the node shows the ride in {@code state}. */
  public void awaitState(BigInteger rideId, String state) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get("/v1/rides/" + rideId);
      last = r.statusCode() + " " + r.body();
      if (r.statusCode() == 200 && state.equals(new JsonObject(r.body()).getString("state"))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("ride " + rideId + " did not reach '" + state + "' within " + WAIT.toSeconds()
        + " s; last answer " + last);
  }

  /** The next message of {@code type} on a stream, skipping others. */
  public static JsonObject next(BlockingQueue<JsonObject> stream, String type) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject m = stream.poll(200, TimeUnit.MILLISECONDS);
      if (m != null && type.equals(m.getString("type"))) {
        return m;
      }
    }
    throw new AssertionError("no '" + type + "' message within " + WAIT.toSeconds() + " s");
  }

  // ---------------------------------------------------------------- wire

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(node.resolve(path)).GET());
  }

  private HttpResponse<String> signed(Credentials key, String path, JsonObject body) throws Exception {
    String text = body.encode();
    String[] h = CallSignature.sign(key, "POST", path, text.getBytes(StandardCharsets.UTF_8), nonce(),
        nowSeconds() + 60);
    return send(HttpRequest.newBuilder(node.resolve(path))
        .header("content-type", "application/json")
        .header(ADDRESS, h[0]).header(NONCE, h[1]).header(EXPIRY, h[2]).header(SIGNATURE, h[3])
        .POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject expect(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.request().method() + " " + r.uri().getPath() + " answered " + r.body())
        .isEqualTo(status);
    return new JsonObject(r.body());
  }

  private static String nonce() {
    return "c" + CALLS.incrementAndGet() + "-" + System.nanoTime();
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  private static JsonObject point(LatLng p) {
    return new JsonObject().put("lat", p.lat()).put("lng", p.lng());
  }
}
