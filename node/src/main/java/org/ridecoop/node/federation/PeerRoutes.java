package org.ridecoop.node.federation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.LongSupplier;
import org.ridecoop.node.api.ApiError;
import org.ridecoop.node.api.ApiRoutes;
import org.web3j.crypto.Credentials;

/**
 * {@code POST /v1/peer/requests}: a peer node asks this node's drivers to offer a ride. The request
 * must be signed by a usable registered node ({@link PeerGate}: 401 unsigned, bad_signature,
 * stale_timestamp, replayed_nonce; 403 unknown_peer), within that peer's rate (429 rate_limited),
 * and carry a ride request signed by its rider (400). The answer, {@code {"offers": [...]}}, is
 * signed by this node's key in the same headers.
 */
final class PeerRoutes implements ApiRoutes {

  /** The path peers post ride requests to. */
  static final String REQUESTS = "/v1/peer/requests";

  private final long chainId;
  private final Credentials key;
  private final PeerGate gate;
  private final TokenBuckets inbound;
  private final OfferCheck check;
  private final LocalOffers local;
  private final LongSupplier clock;
  private final MeterRegistry meters;

  PeerRoutes(long chainId, Credentials key, PeerGate gate, TokenBuckets inbound, OfferCheck check, LocalOffers local,
      LongSupplier clock, MeterRegistry meters) {
    this.chainId = chainId;
    this.key = key;
    this.gate = gate;
    this.inbound = inbound;
    this.check = check;
    this.local = local;
    this.clock = clock;
    this.meters = meters;
  }

  @Override
  public void mount(Router router) {
    router.post(REQUESTS).handler(this::request);
  }

  private void request(RoutingContext ctx) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Future<Buffer> answer;
    try {
      PeerSignature sig = PeerGate.signature(ctx.request().headers());
      answer = gate.authenticate(sig, body)
          .compose(sender -> inbound.tryTake(sender.address()) ? gate.useNonce(sig)
              : Future.failedFuture(new ApiError(429, "rate_limited",
                  "node " + sender.address() + " sent more requests than its rate allows; retry later")))
          .compose(v -> offers(body));
    } catch (ApiError e) {
      answer = Future.failedFuture(e);
    }
    answer.onSuccess(out -> {
      PeerSignature sig = PeerSignature.sign(chainId, out.getBytes(), key, clock.getAsLong());
      ctx.response()
          .putHeader("content-type", "application/json")
          .putHeader(PeerSignature.SENDER, sig.sender())
          .putHeader(PeerSignature.TIMESTAMP, Long.toString(sig.timestamp()))
          .putHeader(PeerSignature.NONCE, sig.nonce())
          .putHeader(PeerSignature.SIGNATURE, sig.signatureHex())
          .end(out);
    }).onFailure(e -> {
      if (e instanceof ApiError a) {
        Counter.builder("ridecoop.federation.refused").description("Peer requests refused, by reason")
            .tag("reason", a.code()).register(meters).increment();
      }
      ctx.fail(e);
    });
  }

  private Future<Buffer> offers(byte[] body) {
    SignedRideRequest request = PeerWire.request(body);
    String refusal = check.refuseRequest(request);
    if (refusal != null) {
      return Future.failedFuture(ApiError.badRequest("invalid_request", refusal));
    }
    return local.offersFor(request).map(PeerWire::encode);
  }
}
