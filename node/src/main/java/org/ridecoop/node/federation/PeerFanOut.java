package org.ridecoop.node.federation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.ridecoop.node.api.ApiError;
import org.ridecoop.node.store.SignedOffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * Sends a ride request to every peer whose service area covers the pickup cell, in parallel, and
 * returns the valid offers that arrived within the request timeout. A dead, slow or misbehaving
 * peer never holds the answer back: its share is simply missing. Each answer must be signed by the
 * peer that was asked; each offer in it must be signed by an active driver member and match the
 * request, else it is dropped ({@code ridecoop_federation_offers_dropped_total}) and the peer gets a
 * fault ({@link PeerBook#fault}).
 */
final class PeerFanOut {

  private static final Logger LOG = LoggerFactory.getLogger(PeerFanOut.class);

  /** Largest answer read from a peer; a few hundred offers fit. */
  static final long MAX_ANSWER_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final HttpClient http;
  private final long chainId;
  private final Credentials key;
  private final PeerBook book;
  private final PeerGate gate;
  private final TokenBuckets outbound;
  private final OfferCheck check;
  private final long timeoutMillis;
  private final LongSupplier clock;
  private final MeterRegistry meters;

  PeerFanOut(Vertx vertx, HttpClient http, long chainId, Credentials key, PeerBook book, PeerGate gate,
      TokenBuckets outbound, OfferCheck check, long timeoutMillis, LongSupplier clock, MeterRegistry meters) {
    this.vertx = vertx;
    this.http = http;
    this.chainId = chainId;
    this.key = key;
    this.book = book;
    this.gate = gate;
    this.outbound = outbound;
    this.check = check;
    this.timeoutMillis = timeoutMillis;
    this.clock = clock;
    this.meters = meters;
  }

  /** Valid offers of the peers covering the pickup cell that answered in time (maybe none). */
  Future<List<SignedOffer>> ask(SignedRideRequest request) {
    return askServed(request).map(offers -> offers.stream().map(PeerOffer::offer).toList());
  }

  /** As {@link #ask}, each offer with the peer that relayed it (the node that will serve the ride). */
  Future<List<PeerOffer>> askServed(SignedRideRequest request) {
    List<RegisteredNode> targets = new ArrayList<>();
    for (RegisteredNode peer : book.covering(request.request().pickupCell())) {
      if (outbound.tryTake(peer.address())) {
        targets.add(peer);
      }
    }
    if (targets.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    byte[] body = PeerWire.encode(request).getBytes();
    List<PeerOffer> arrived = new ArrayList<>();
    Promise<List<PeerOffer>> result = Promise.promise();
    AtomicInteger pending = new AtomicInteger(targets.size());
    long timer = vertx.setTimer(timeoutMillis, t -> {
      synchronized (arrived) {
        result.tryComplete(List.copyOf(arrived));
      }
    });
    for (RegisteredNode peer : targets) {
      askOne(peer, request, body).onComplete(done -> {
        synchronized (arrived) {
          if (done.succeeded()) {
            done.result().forEach(o -> arrived.add(new PeerOffer(o, peer.endpoint())));
          } else {
            book.fault(peer.address(), reason(done.cause()));
          }
          if (pending.decrementAndGet() == 0) {
            vertx.cancelTimer(timer);
            result.tryComplete(List.copyOf(arrived));
          }
        }
      });
    }
    return result.future();
  }

  private Future<List<SignedOffer>> askOne(RegisteredNode peer, SignedRideRequest request, byte[] body) {
    PeerSignature sig = PeerSignature.sign(chainId, body, key, clock.getAsLong());
    String base = peer.endpoint().toString().replaceAll("/+$", "");
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(base + PeerRoutes.REQUESTS)
        .setConnectTimeout(timeoutMillis)
        .setIdleTimeout(timeoutMillis)
        .putHeader("content-type", "application/json")
        .putHeader(PeerSignature.SENDER, sig.sender())
        .putHeader(PeerSignature.TIMESTAMP, Long.toString(sig.timestamp()))
        .putHeader(PeerSignature.NONCE, sig.nonce())
        .putHeader(PeerSignature.SIGNATURE, sig.signatureHex());
    return http.request(options)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(resp -> {
          String length = resp.getHeader("content-length");
          if (length == null || !length.matches("[0-9]{1,12}") || Long.parseLong(length) > MAX_ANSWER_BYTES) {
            resp.request().connection().close();
            return Future.failedFuture(new IllegalStateException(
                "answer without a content-length of at most " + MAX_ANSWER_BYTES + " bytes"));
          }
          return resp.body().compose(b -> answer(peer, request, resp, b.getBytes()));
        });
  }

  private Future<List<SignedOffer>> answer(RegisteredNode peer, SignedRideRequest request, HttpClientResponse resp,
      byte[] body) {
    if (resp.statusCode() != 200) {
      return Future.failedFuture(new IllegalStateException("answered HTTP " + resp.statusCode() + ": "
          + new String(body, java.nio.charset.StandardCharsets.UTF_8)));
    }
    PeerSignature sig = PeerGate.signature(resp.headers());
    if (!sig.sender().equals(peer.address())) {
      return Future.failedFuture(new IllegalStateException("answer signed by " + sig.sender()
          + ", not by the node asked"));
    }
    return gate.authenticate(sig, body)
        .compose(sender -> gate.useNonce(sig))
        .compose(v -> verifiedOffers(peer, request, body));
  }

  private Future<List<SignedOffer>> verifiedOffers(RegisteredNode peer, SignedRideRequest request, byte[] body) {
    List<PeerWire.WireOffer> wire = PeerWire.offers(body);
    List<SignedOffer> parsed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (PeerWire.WireOffer w : wire) {
      try {
        parsed.add(PeerWire.offer(w, clock.getAsLong()));
      } catch (ApiError e) {
        problems.add(e.reason());
      }
    }
    List<Future<String>> checks = parsed.stream().map(o -> check.refuseOffer(request, o)).toList();
    return Future.join(checks).transform(done -> {
      List<SignedOffer> valid = new ArrayList<>();
      for (int i = 0; i < parsed.size(); i++) {
        Future<String> c = checks.get(i);
        if (c.succeeded() && c.result() == null) {
          valid.add(parsed.get(i));
        } else {
          problems.add(c.succeeded() ? c.result() : "driver check failed: " + reason(c.cause()));
        }
      }
      if (!problems.isEmpty()) {
        Counter.builder("ridecoop.federation.offers.dropped")
            .description("Offers from peers dropped as invalid")
            .tag("peer", peer.address())
            .register(meters)
            .increment(problems.size());
        book.fault(peer.address(), problems.size() + " invalid offers: " + String.join("; ", problems));
        LOG.warn("dropped offers peer={} count={} reasons={}", peer.address(), problems.size(), problems);
      } else {
        book.success(peer.address());
      }
      return Future.succeededFuture(valid);
    });
  }

  private static String reason(Throwable e) {
    if (e instanceof ApiError a) {
      return a.code() + ": " + a.reason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
