package org.ridecoop.node.federation;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.function.LongSupplier;
import org.ridecoop.node.api.ApiError;

/**
 * Admits a signed peer message: the signature holds over the body, the sender is a usable node of
 * the on-chain registry, the timestamp is within the allowed skew and the nonce is new. Used for
 * requests that arrive here and for answers to this node's requests.
 */
final class PeerGate {

  private final long chainId;
  private final PeerBook book;
  private final SeenNonces nonces;
  private final long skewMillis;
  private final LongSupplier clock;

  PeerGate(long chainId, PeerBook book, SeenNonces nonces, long skewMillis, LongSupplier clock) {
    this.chainId = chainId;
    this.book = book;
    this.nonces = nonces;
    this.skewMillis = skewMillis;
    this.clock = clock;
  }

  /** The signature in {@code headers}, or a 401 {@link ApiError} saying what is missing or malformed. */
  static PeerSignature signature(MultiMap headers) {
    try {
      return PeerSignature.fromHeaders(headers.get(PeerSignature.SENDER), headers.get(PeerSignature.TIMESTAMP),
          headers.get(PeerSignature.NONCE), headers.get(PeerSignature.SIGNATURE));
    } catch (IllegalArgumentException e) {
      throw new ApiError(401, "unsigned", e.getMessage());
    }
  }

  /**
   * Checks the signature and the sender before anything else is done with the message.
   *
   * @return the sender, or a failure with {@link ApiError} 401 (bad signature, stale) or 403 (not a
   *     usable registered node)
   */
  Future<RegisteredNode> authenticate(PeerSignature sig, byte[] body) {
    if (!sig.verifies(chainId, body)) {
      return Future.failedFuture(new ApiError(401, "bad_signature",
          "the signature does not match the body, chain " + chainId + " and sender " + sig.sender()));
    }
    long skew = Math.abs(clock.getAsLong() - sig.timestamp());
    if (skew > skewMillis) {
      return Future.failedFuture(new ApiError(401, "stale_timestamp",
          "the message was signed " + skew + " ms away from this node's clock; at most " + skewMillis + " allowed"));
    }
    return book.usableSender(sig.sender()).compose(found -> found.isPresent()
        ? Future.succeededFuture(found.get())
        : Future.failedFuture(new ApiError(403, "unknown_peer",
            "node " + sig.sender() + " is not a usable node of the on-chain registry")));
  }

  /** Records the nonce; fails with {@link ApiError} 401 {@code replayed_nonce} if it was seen. */
  Future<Void> useNonce(PeerSignature sig) {
    return nonces.use(sig.sender(), sig.nonce(), sig.timestamp() + skewMillis + 1_000)
        .compose(fresh -> fresh ? Future.succeededFuture()
            : Future.failedFuture(new ApiError(401, "replayed_nonce",
                "nonce " + sig.nonce() + " of " + sig.sender() + " was already used")));
  }
}
