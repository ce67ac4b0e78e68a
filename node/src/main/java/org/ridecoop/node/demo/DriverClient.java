package org.ridecoop.node.demo;

import io.vertx.core.json.JsonObject;
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
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.SignedCall;
import org.ridecoop.protocol.TripReceipt;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A simulated driver's app against its fleet node, as a phone speaks to it: the signed offer
 * stream (WebSocket), going online at a point, accepting an offer with the driver's own EIP-712
 * signature, and reporting arrival, pickup and drop-off. Every call is signed by the driver's key
 * ({@link SignedCall}); the node never holds it.
 */
final class DriverClient implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicLong CALLS = new AtomicLong();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DriverClient.class);

  final People.Driver driver;
  final URI node;
  private final Eip712Domain ledgerDomain;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final BlockingQueue<JsonObject> pushed = new LinkedBlockingQueue<>();
  private WebSocket socket;
  private volatile boolean closed;

  DriverClient(People.Driver driver, URI node, Eip712Domain ledgerDomain) {
    this.driver = driver;
    this.node = node;
    this.ledgerDomain = ledgerDomain;
  }

  /** Opens the offer stream, then goes online at {@code driver.at}. */
  DriverClient connect() throws Exception {
    String path = "/v1/drivers/" + driver.address() + "/stream";
    SignedCall h = SignedCall.sign(driver.key, "GET", path, new byte[0], nonce(), nowSeconds() + 60);
    URI ws = URI.create("ws://" + node.getHost() + ":" + node.getPort() + path);
    socket = http.newWebSocketBuilder()
        .header(SignedCall.ADDRESS_HEADER, h.address()).header(SignedCall.NONCE_HEADER, h.nonce())
        .header(SignedCall.EXPIRY_HEADER, Long.toString(h.expiry())).header(SignedCall.SIGNATURE_HEADER, h.signature())
        .buildAsync(ws, new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket s, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              pushed.add(new JsonObject(partial.toString()));
              partial.setLength(0);
            }
            s.request(1);
            return null;
          }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    online();
    return this;
  }

  /** The driver is free again at {@code driver.at} (accepting an offer takes it off the market). */
  void online() throws Exception {
    LatLng at = driver.at;
    post(driver.key, "/v1/drivers/" + driver.address() + "/online", new JsonObject().put("lat", at.lat()).put("lng", at.lng()));
  }

  /** The next offer pushed to this driver, or null if none is waiting. */
  JsonObject pollOffer() {
    for (JsonObject m; (m = pushed.poll()) != null; ) {
      if ("offer".equals(m.getString("type"))) return m;
    }
    return null;
  }

  /** Waits up to {@code timeout} for an offer; null when none came. */
  JsonObject awaitOffer(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject m = pushed.poll(200, TimeUnit.MILLISECONDS);
      if (m != null && "offer".equals(m.getString("type"))) return m;
    }
    return null;
  }

  /**
   * Signs the pushed offer after checking the digest the node shows is the offer's own, and
   * accepts it.
   */
  Offer accept(JsonObject message) throws Exception {
    JsonObject o = message.getJsonObject("offer");
    Offer offer = new Offer(Numeric.hexStringToByteArray(o.getString("requestHash")), o.getString("rider"),
        o.getString("driver"), BigInteger.valueOf(o.getLong("maxFare")), o.getLong("rideNonce"),
        o.getLong("etaSeconds"), o.getInteger("scheduleVersion"), o.getLong("expiry"));
    String digest = Numeric.toHexString(ledgerDomain.digest(offer.structHash()));
    if (!digest.equalsIgnoreCase(message.getString("digest"))) {
      throw new IllegalStateException(driver + " was shown digest " + message.getString("digest") + ", not its offer's");
    }
    byte[] signature = MessageSigner.sign(ledgerDomain, offer.structHash(), driver.key);
    post(driver.key, "/v1/drivers/" + driver.address() + "/offers/" + message.getString("requestHash") + "/accept",
        new JsonObject().put("signature", Numeric.toHexString(signature)));
    return offer;
  }

  /** Waits until the driver's node has followed the booking of {@code rideId} on chain. */
  void awaitBooked(BigInteger rideId) throws Exception {
    awaitBooked(rideId, WAIT);
  }

  private void awaitBooked(BigInteger rideId, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/v1/rides/" + rideId)).timeout(WAIT)
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        last = new JsonObject(r.body()).getString("state");
        // Past matching (requested, offered, asking_peers): the node saw RideBooked.
        if (!"requested".equals(last) && !"offered".equals(last) && !"asking_peers".equals(last)) return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(driver + "'s node did not follow the booking of ride " + rideId + " (last " + last + ")");
  }

  /**
   * Drives the ride: arrival, pickup and drop-off after {@code metres} and {@code seconds}; the
   * node drafts the trip receipt for the rider to co-sign.
   *
   * @param at pickup and drop-off time: the chain's latest block time (the ledger takes no receipt
   *     from its future)
   */
  TripReceipt drive(BigInteger rideId, long metres, long seconds, long at) throws Exception {
    byte[] routeHash = Hash.sha3(("route " + rideId).getBytes(StandardCharsets.UTF_8));
    post(driver.key, "/v1/rides/" + rideId + "/arrived", new JsonObject());
    post(driver.key, "/v1/rides/" + rideId + "/pickup", new JsonObject());
    post(driver.key, "/v1/rides/" + rideId + "/dropoff", new JsonObject().put("distanceMetres", metres)
        .put("durationSeconds", seconds).put("pickupAt", at).put("dropoffAt", at)
        .put("routeHash", Numeric.toHexString(routeHash)));
    return new TripReceipt(rideId, metres, seconds, at, at, routeHash);
  }

  private void post(Credentials caller, String path, JsonObject body) throws Exception {
    byte[] text = body.encode().getBytes(StandardCharsets.UTF_8);
    SignedCall h = SignedCall.sign(caller, "POST", path, text, nonce(), nowSeconds() + 60);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve(path)).timeout(WAIT)
        .header("content-type", "application/json")
        .header(SignedCall.ADDRESS_HEADER, h.address()).header(SignedCall.NONCE_HEADER, h.nonce())
        .header(SignedCall.EXPIRY_HEADER, Long.toString(h.expiry())).header(SignedCall.SIGNATURE_HEADER, h.signature())
        .POST(HttpRequest.BodyPublishers.ofByteArray(text)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("POST " + path + " at " + node + " answered " + r.statusCode() + " " + r.body());
    }
  }

  /**
   * Drives every ride offered until {@link #close()}: accepts the offer, waits for the booking,
   * drops the rider off at once (the chain's time) and is free again. Runs on its own daemon
   * thread; a failed ride is logged and the driver goes online again.
   *
   * @param chainNow the chain's latest block time
   */
  void autopilot(java.util.concurrent.Callable<Long> chainNow) {
    Thread.ofPlatform().daemon().name("demo-driver-" + driver.address()).start(() -> {
      while (!closed) {
        try {
          JsonObject pushed = awaitOffer(Duration.ofSeconds(1));
          if (pushed == null) continue;
          Offer offer = accept(pushed);
          awaitBooked(offer.rideId(), Duration.ofMinutes(10));
          drive(offer.rideId(), 3_000, 600, chainNow.call());
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          if (closed) return;
          LOG.warn("demo driver {}: {}", driver, e.getMessage());
        }
        try {
          if (!closed) online();
        } catch (Exception e) {
          LOG.warn("demo driver {} cannot go online again: {}", driver, e.getMessage());
        }
      }
    });
  }

  private static String nonce() {
    return "demo" + CALLS.incrementAndGet() + "-" + System.nanoTime();
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  @Override
  public void close() {
    closed = true;
    if (socket != null) socket.abort();
    http.close();
  }
}
