package org.ridecoop.node.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.ridecoop.node.ride.CallSignature;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * One simulated fleet driver, as its phone app behaves: listens on its offer stream (a WebSocket
 * opened with a signed handshake), and on an offer signs it with its own key and accepts it, then
 * goes online again at a new random point of Paris (the ride is over). Its "go online" calls are
 * signed ahead of the measured phase; an offer can only be signed when it arrives, on a worker
 * thread, so the event loops that timestamp messages stay free.
 */
final class FleetDriver {

  /** A call signed ahead: its body and its four signature headers. */
  record SignedCall(String path, byte[] body, String[] headers) {}

  private static final String[] HEADERS = {"X-Ridecoop-Address", "X-Ridecoop-Nonce", "X-Ridecoop-Expiry",
      "X-Ridecoop-Signature"};

  final Credentials key;
  final String address;
  private final Eip712Domain domain;
  private final List<SignedCall> onlineCalls = new ArrayList<>();
  private int nextOnline;
  private final AtomicLong nonce = new AtomicLong();
  private final String nonceTag;
  /** Accepts refused by the node (the offer was withdrawn or timed out meanwhile). */
  static final AtomicLong REFUSED = new AtomicLong();
  /** Offers accepted. */
  static final AtomicLong ACCEPTED = new AtomicLong();

  FleetDriver(Credentials key, Eip712Domain domain, String nonceTag) {
    this.key = key;
    this.address = key.getAddress().toLowerCase(java.util.Locale.ROOT);
    this.domain = domain;
    this.nonceTag = nonceTag;
  }

  /** Signs {@code count} "go online" calls at random points of Paris, valid {@code validSeconds}. */
  void signOnlineCalls(int count, SplittableRandom random, long validSeconds) {
    long expiry = System.currentTimeMillis() / 1000 + validSeconds;
    String path = "/v1/drivers/" + address + "/online";
    for (int i = 0; i < count; i++) {
      double[] p = Paris.randomPoint(random);
      byte[] body = new JsonObject().put("lat", p[0]).put("lng", p[1]).encode().getBytes(StandardCharsets.UTF_8);
      onlineCalls.add(new SignedCall(path, body, sign("POST", path, body, expiry)));
    }
  }

  private String[] sign(String method, String path, byte[] body, long expiry) {
    return CallSignature.sign(key, method, path, body, nonceTag + "-" + nonce.incrementAndGet(), expiry);
  }

  /**
   * Opens the offer stream. {@code onOffer} gets each offer's request hash and arrival time
   * ({@link System#nanoTime()}) on the socket's event loop, before anything else is done with it.
   */
  Future<WebSocket> connect(Vertx vertx, WebSocketClient sockets, HttpClient http, int port,
      BiConsumer<String, Long> onOffer) {
    String path = "/v1/drivers/" + address + "/stream";
    String[] h = sign("GET", path, new byte[0], System.currentTimeMillis() / 1000 + 300);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path);
    for (int i = 0; i < HEADERS.length; i++) {
      options.addHeader(HEADERS[i], h[i]);
    }
    return sockets.connect(options).onSuccess(ws -> ws.textMessageHandler(text -> {
      long at = System.nanoTime();
      JsonObject m = new JsonObject(text);
      if ("offer".equals(m.getString("type"))) {
        onOffer.accept(m.getString("requestHash"), at);
        accept(vertx, http, port, m);
      }
    }));
  }

  /** Goes online at the next pre-signed point. */
  Future<Integer> goOnline(HttpClient http, int port) {
    if (nextOnline >= onlineCalls.size()) {
      return Future.failedFuture(new IllegalStateException(address + " ran out of pre-signed online calls"));
    }
    return post(http, port, onlineCalls.get(nextOnline++));
  }

  private void accept(Vertx vertx, HttpClient http, int port, JsonObject message) {
    String requestHash = message.getString("requestHash");
    JsonObject o = message.getJsonObject("offer");
    vertx.executeBlocking(() -> {
      Offer offer = offer(o);
      // The driver's app checks what it signs: the offer is rebuilt from its fields, not from the node's digest.
      byte[] signature = MessageSigner.sign(domain, offer.structHash(), key);
      String path = "/v1/drivers/" + address + "/offers/" + requestHash + "/accept";
      byte[] body = new JsonObject().put("signature", Numeric.toHexString(signature)).encode()
          .getBytes(StandardCharsets.UTF_8);
      return new SignedCall(path, body, sign("POST", path, body, System.currentTimeMillis() / 1000 + 300));
    }, false).compose(call -> post(http, port, call)).compose(status -> {
      (status == 200 ? ACCEPTED : REFUSED).incrementAndGet();
      return goOnline(http, port);
    });
  }

  static Offer offer(JsonObject o) {
    return new Offer(Numeric.hexStringToByteArray(o.getString("requestHash")), o.getString("rider"),
        o.getString("driver"), BigInteger.valueOf(o.getLong("maxFare")), o.getLong("rideNonce"),
        o.getLong("etaSeconds"), o.getInteger("scheduleVersion"), o.getLong("expiry"));
  }

  static Future<Integer> post(HttpClient http, int port, SignedCall call) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(call.path()).putHeader("content-type", "application/json");
    for (int i = 0; i < HEADERS.length; i++) {
      options.putHeader(HEADERS[i], call.headers()[i]);
    }
    return http.request(options).compose(req -> req.send(Buffer.buffer(call.body())))
        .compose(resp -> resp.body().map(b -> resp.statusCode()));
  }
}
