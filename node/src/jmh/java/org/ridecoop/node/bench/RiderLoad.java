package org.ridecoop.node.bench;

import com.uber.h3core.H3Core;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.RideIds;
import org.ridecoop.protocol.RideRequest;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Riders sending signed ride requests open-loop: request {@code i} is due at {@code start + i /
 * rate}, whatever happened to the earlier ones, and every latency is measured from that due time
 * (so a stalled node or a late generator shows up as latency, not as fewer requests). Each request
 * is signed ahead by a fresh rider key (ride nonce 0 on the ledger); on its 202 the rider follows
 * the ride's status stream until the driver's signed offer arrives.
 */
final class RiderLoad {

  /**
   * A request signed ahead.
   *
   * @param rider the rider's key (used again only to book)
   * @param body the {@code POST /v1/rides} body
   * @param rideId the ride id (decimal)
   * @param requestHash the request's struct hash, 0x hex
   */
  record Prepared(Credentials rider, byte[] body, String rideId, String requestHash) {}

  /** Signs {@code count} requests of fresh riders, in parallel. */
  static List<Prepared> prepare(int count, String tag, Eip712Domain domain, H3Core h3, long maxFare) {
    long expiry = System.currentTimeMillis() / 1000 + 3600;
    return IntStream.range(0, count).parallel().mapToObj(i -> {
      byte[] seed = Hash.sha3(("ridecoop-bench-rider-" + tag + "-" + i).getBytes(StandardCharsets.UTF_8));
      Credentials rider = Credentials.create(ECKeyPair.create(new BigInteger(1, seed)));
      SplittableRandom random = new SplittableRandom(new BigInteger(1, seed).longValue());
      double[] p = Paris.randomPoint(random);
      double[] d = Paris.randomPoint(random);
      long pickupCell = h3.latLngToCell(p[0], p[1], 7);
      long dropoffCell = h3.latLngToCell(d[0], d[1], 7);
      RideRequest q = new RideRequest(rider.getAddress(), pickupCell, dropoffCell, BigInteger.valueOf(maxFare), 0, expiry,
          RideRequest.newSalt());
      byte[] signature = MessageSigner.sign(domain, q.structHash(), rider);
      JsonObject body = new JsonObject()
          .put("request", new JsonObject().put("rider", rider.getAddress())
              .put("pickupCell", Long.toHexString(pickupCell)).put("dropoffCell", Long.toHexString(dropoffCell))
              .put("maxFare", maxFare).put("rideNonce", 0).put("expiry", expiry)
              .put("salt", Numeric.toHexString(q.salt())))
          .put("signature", Numeric.toHexString(signature))
          .put("pickup", new JsonObject().put("lat", p[0]).put("lng", p[1]))
          .put("dropoff", new JsonObject().put("lat", d[0]).put("lng", d[1]));
      return new Prepared(rider, body.encode().getBytes(StandardCharsets.UTF_8),
          RideIds.of(rider.getAddress(), 0).toString(), Numeric.toHexString(q.structHash()));
    }).toList();
  }

  /**
   * What one run measured, for the requests after the warm-up.
   *
   * @param accepted latency to the node's 202
   * @param offerAtDriver latency to the offer reaching its driver's stream
   * @param offerAtRider latency to the driver's signed offer reaching the rider's ride stream
   * @param scheduledRate requests per second asked for
   * @param sentRate requests per second actually sent (first to last measured request)
   * @param refused answers other than 202, by status, and transport failures (status 0)
   * @param noDriver requests the node reported it could not match locally
   * @param offerRate signed offers that reached their riders per second, from the first measured
   *     request's due time to the last such offer
   */
  record Result(Latencies accepted, Latencies offerAtDriver, Latencies offerAtRider, double scheduledRate,
      double sentRate, Map<Integer, Integer> refused, int noDriver, double offerRate) {}

  private final Vertx vertx;
  private final HttpClient http;
  private final WebSocketClient sockets;
  private final int port;
  private final List<Prepared> requests;
  private final Map<String, Integer> byHash = new HashMap<>();
  private final long[] due;
  private final AtomicLongArray sent;
  private final AtomicLongArray acked;
  private final AtomicLongArray atDriver;
  private final AtomicLongArray atRider;
  private final AtomicLongArray status;
  private final Set<Integer> noDriver = ConcurrentHashMap.newKeySet();
  private final AtomicLong open = new AtomicLong();

  RiderLoad(Vertx vertx, HttpClient http, WebSocketClient sockets, int port, List<Prepared> requests) {
    this.vertx = vertx;
    this.http = http;
    this.sockets = sockets;
    this.port = port;
    this.requests = requests;
    for (int i = 0; i < requests.size(); i++) {
      byHash.put(requests.get(i).requestHash(), i);
    }
    int n = requests.size();
    due = new long[n];
    sent = new AtomicLongArray(n);
    acked = new AtomicLongArray(n);
    atDriver = new AtomicLongArray(n);
    atRider = new AtomicLongArray(n);
    status = new AtomicLongArray(n);
  }

  /** The drivers' offer streams report here: the first offer of a request counts. */
  void offerReachedDriver(String requestHash, long at) {
    Integer i = byHash.get(requestHash);
    if (i != null) {
      atDriver.compareAndSet(i, 0, at);
    }
  }

  /**
   * Sends every prepared request at {@code rate} per second and waits for the measured ones.
   *
   * @param warmup how many of the first requests are not measured
   * @param drainMillis how long after the last due time answers are waited for
   */
  Result run(int rate, int warmup, long drainMillis) throws InterruptedException {
    List<Context> loops = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      loops.add(vertx.getOrCreateContext());
    }
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime() + 200_000_000L;
    for (int i = 0; i < requests.size(); i++) {
      due[i] = start + i * period;
    }
    for (int i = 0; i < requests.size(); i++) {
      long wait;
      while ((wait = due[i] - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int index = i;
      loops.get(i % loops.size()).runOnContext(v -> send(index));
    }
    long deadline = due[requests.size() - 1] + drainMillis * 1_000_000L;
    while (System.nanoTime() < deadline && !measuredDone(warmup)) {
      Thread.sleep(50);
    }
    return result(rate, warmup);
  }

  private boolean measuredDone(int warmup) {
    for (int i = warmup; i < requests.size(); i++) {
      if (atRider.get(i) == 0 && !noDriver.contains(i) && (status.get(i) == 0 || status.get(i) == 202)) {
        return false;
      }
    }
    return true;
  }

  private void send(int i) {
    Prepared p = requests.get(i);
    sent.set(i, System.nanoTime());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/rides").putHeader("content-type", "application/json");
    http.request(options).compose(req -> req.send(Buffer.buffer(p.body())))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onSuccess(code -> {
          status.set(i, code);
          if (code == 202) {
            acked.set(i, System.nanoTime());
            follow(i);
          }
        })
        .onFailure(e -> status.set(i, -1));
  }

  private void follow(int i) {
    open.incrementAndGet();
    sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/v1/rides/" + requests.get(i).rideId() + "/stream")).onSuccess(ws -> {
          ws.closeHandler(v -> open.decrementAndGet());
          ws.textMessageHandler(text -> {
            long at = System.nanoTime();
            JsonObject m = new JsonObject(text);
            String type = m.getString("type");
            if ("offer".equals(type)) {
              atRider.compareAndSet(i, 0, at);
              ws.close();
            } else if ("status".equals(type) && Set.of("asking_peers", "expired", "cancelled").contains(m.getString("state"))) {
              noDriver.add(i);
              ws.close();
            }
          });
        }).onFailure(e -> {
          open.decrementAndGet();
          status.set(i, -2);
        });
  }

  private Result result(int rate, int warmup) {
    Latencies accepted = new Latencies();
    Latencies offerAtDriver = new Latencies();
    Latencies offerAtRider = new Latencies();
    Map<Integer, Integer> refused = new java.util.TreeMap<>();
    long firstSent = Long.MAX_VALUE;
    long lastSent = Long.MIN_VALUE;
    int measured = 0;
    int unmatched = 0;
    for (int i = warmup; i < requests.size(); i++) {
      long s = sent.get(i);
      if (s != 0) {
        firstSent = Math.min(firstSent, s);
        lastSent = Math.max(lastSent, s);
        measured++;
      }
      int code = (int) status.get(i);
      if (code != 202) {
        refused.merge(code, 1, Integer::sum);
        continue;
      }
      if (noDriver.contains(i)) {
        unmatched++;
      }
      record(accepted, acked.get(i), due[i]);
      record(offerAtDriver, atDriver.get(i), due[i]);
      record(offerAtRider, atRider.get(i), due[i]);
    }
    double sentRate = measured < 2 ? Double.NaN : (measured - 1) * 1e9 / (lastSent - firstSent);
    long lastOffer = Long.MIN_VALUE;
    for (int i = warmup; i < requests.size(); i++) {
      lastOffer = Math.max(lastOffer, atRider.get(i));
    }
    double offerRate = offerAtRider.count() == 0 ? 0 : offerAtRider.count() * 1e9 / (lastOffer - due[warmup]);
    return new Result(accepted, offerAtDriver, offerAtRider, rate, sentRate, refused, unmatched, offerRate);
  }

  private static void record(Latencies into, long at, long due) {
    if (at == 0) {
      into.missing();
    } else {
      into.add((at - due) / 1000);
    }
  }
}
