package org.ridecoop.node.ride;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.ridecoop.node.api.ApiError;
import org.ridecoop.node.store.UsedNonces;
import org.ridecoop.protocol.SignedCall;
import org.web3j.crypto.Credentials;

/**
 * The node's side of {@link SignedCall} (the format, its rules and its signing live there, shared
 * with the SDK): reads the signature headers of a request, refuses a bad one with 401, and keeps
 * each nonce once per address in {@link UsedNonces}.
 */
public final class CallSignature {

  /** The longest a signed call may be valid, so nonces need not be kept long. */
  public static final long MAX_VALIDITY_SECONDS = SignedCall.MAX_VALIDITY_SECONDS;

  static final String ADDRESS = SignedCall.ADDRESS_HEADER;
  static final String NONCE = SignedCall.NONCE_HEADER;
  static final String EXPIRY = SignedCall.EXPIRY_HEADER;
  static final String SIGNATURE = SignedCall.SIGNATURE_HEADER;

  /**
   * A call whose signature checked out; its nonce is not used yet.
   *
   * @param caller the signer, lower-case 0x hex
   * @param nonce the call's nonce
   * @param expiry unix seconds
   */
  public record Verified(String caller, String nonce, long expiry) {
    /** Uses the nonce; fails with 401 if it was used before (a replay). */
    public Future<Void> useNonce(UsedNonces nonces) {
      return nonces.use(caller, nonce, expiry * 1000).compose(fresh -> fresh ? Future.succeededFuture()
          : Future.failedFuture(unauthorized("nonce " + nonce + " was already used by " + caller)));
    }
  }

  private CallSignature() {}

  /**
   * Signs a call as a client does (tests and drivers' tools); returns the header values
   * (address, nonce, expiry, signature). Same as {@link SignedCall#sign}.
   */
  public static String[] sign(Credentials key, String method, String path, byte[] body, String nonce, long expiry) {
    return SignedCall.sign(key, method, path, body, nonce, expiry).headerValues();
  }

  /** Where {@link #prepare} leaves its outcome on the routing context. */
  private static final String PREPARED = "ridecoop.callSignature";

  /**
   * Recovers a signed call's signer on a worker thread and keeps the outcome on the routing
   * context, so the {@link #verify} that follows on the ride desk's loop costs nothing. Public-key
   * recovery is the dearest step of a call (a fraction of a millisecond to a millisecond of CPU);
   * done on the desk's one loop it capped every node at a few hundred calls a second, done here it
   * uses every core. Calls without the signature headers are left alone.
   */
  static Future<Void> prepare(RoutingContext ctx, Clock clock) {
    if (ctx.request().getHeader(ADDRESS) == null) {
      return Future.succeededFuture();
    }
    return ctx.vertx().<Object>executeBlocking(() -> {
      try {
        return check(ctx, clock);
      } catch (ApiError e) {
        return e;
      } catch (RuntimeException e) {
        return null; // not kept: verify meets it again where the route checks the signature
      }
    }, false).map(outcome -> {
      if (outcome != null) {
        ctx.put(PREPARED, outcome);
      }
      return null;
    });
  }

  /**
   * Checks the call's signature headers against its method, path and body (or takes the outcome
   * {@link #prepare} found for this request).
   *
   * @throws ApiError 401 {@code unauthorized} naming what is wrong
   */
  public static Verified verify(RoutingContext ctx, Clock clock) {
    Object prepared = ctx.get(PREPARED);
    if (prepared instanceof Verified v) {
      return v;
    }
    if (prepared instanceof ApiError e) {
      throw e;
    }
    return check(ctx, clock);
  }

  private static Verified check(RoutingContext ctx, Clock clock) {
    var request = ctx.request();
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    try {
      SignedCall call = SignedCall.fromHeaders(request.getHeader(ADDRESS), request.getHeader(NONCE),
          request.getHeader(EXPIRY), request.getHeader(SIGNATURE));
      String caller = call.verify(request.method().name(), request.path(), body, clock.millis() / 1000);
      return new Verified(caller, call.nonce(), call.expiry());
    } catch (SignedCall.Refused e) {
      throw unauthorized(e.getMessage());
    }
  }

  static ApiError unauthorized(String reason) {
    return new ApiError(401, "unauthorized", reason);
  }
}
