package org.ridecoop.node.ride;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SignatureException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.ridecoop.node.api.ApiError;
import org.ridecoop.node.store.UsedNonces;
import org.ridecoop.protocol.MessageSigner;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Authentication of a mutating API call by the caller's key, without sessions or passwords: an
 * EIP-191 personal signature over {@code ridecoop:<METHOD>:<path>:<sha256(body) hex>:<nonce>:<expiry>},
 * sent in the headers {@code X-Ridecoop-Address}, {@code X-Ridecoop-Nonce},
 * {@code X-Ridecoop-Expiry} (unix seconds) and {@code X-Ridecoop-Signature} (65 bytes, 0x hex).
 * A nonce is accepted once per address (kept in {@link UsedNonces}); an expired call, one valid
 * for more than {@link #MAX_VALIDITY_SECONDS}, or a bad signature is refused with 401.
 */
public final class CallSignature {

  /** The longest a signed call may be valid, so nonces need not be kept long. */
  public static final long MAX_VALIDITY_SECONDS = 600;

  static final String ADDRESS = "X-Ridecoop-Address";
  static final String NONCE = "X-Ridecoop-Nonce";
  static final String EXPIRY = "X-Ridecoop-Expiry";
  static final String SIGNATURE = "X-Ridecoop-Signature";

  private static final Pattern ADDRESS_FORMAT = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern NONCE_FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern SIGNATURE_FORMAT = Pattern.compile("0x[0-9a-fA-F]{130}");

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

  /** The string that is signed. */
  public static String canonical(String method, String path, byte[] body, String nonce, long expiry) {
    return "ridecoop:" + method + ":" + path + ":" + sha256(body) + ":" + nonce + ":" + expiry;
  }

  /** Signs a call as a client does; returns the header values (address, nonce, expiry, signature). */
  public static String[] sign(Credentials key, String method, String path, byte[] body, String nonce, long expiry) {
    byte[] digest = Sign.getEthereumMessageHash(
        canonical(method, path, body, nonce, expiry).getBytes(StandardCharsets.UTF_8));
    return new String[] {key.getAddress(), nonce, Long.toString(expiry),
        Numeric.toHexString(MessageSigner.signDigest(digest, key))};
  }

  /**
   * Checks the call's signature headers against its method, path and body.
   *
   * @throws ApiError 401 {@code unauthorized} naming what is wrong
   */
  public static Verified verify(RoutingContext ctx, Clock clock) {
    String address = header(ctx, ADDRESS);
    String nonce = header(ctx, NONCE);
    String expiryText = header(ctx, EXPIRY);
    String signature = header(ctx, SIGNATURE);
    if (!ADDRESS_FORMAT.matcher(address).matches()) {
      throw unauthorized(ADDRESS + " must be a 0x address");
    }
    if (!NONCE_FORMAT.matcher(nonce).matches()) {
      throw unauthorized(NONCE + " must be 1 to 64 letters, digits, '-' or '_'");
    }
    long expiry;
    try {
      expiry = Long.parseLong(expiryText);
    } catch (NumberFormatException e) {
      throw unauthorized(EXPIRY + " must be unix seconds");
    }
    long now = clock.millis() / 1000;
    if (expiry < now) {
      throw unauthorized("the signed call expired at " + expiry + " (now " + now + ")");
    }
    if (expiry > now + MAX_VALIDITY_SECONDS) {
      throw unauthorized("the signed call is valid until " + expiry + ", more than "
          + MAX_VALIDITY_SECONDS + " s ahead");
    }
    if (!SIGNATURE_FORMAT.matcher(signature).matches()) {
      throw unauthorized(SIGNATURE + " must be 65 bytes as 0x hex");
    }
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String text = canonical(ctx.request().method().name(), ctx.request().path(), body, nonce, expiry);
    String signer;
    try {
      signer = MessageSigner.recoverDigest(
          Sign.getEthereumMessageHash(text.getBytes(StandardCharsets.UTF_8)), Numeric.hexStringToByteArray(signature));
    } catch (SignatureException | RuntimeException e) {
      throw unauthorized("bad signature: " + e.getMessage());
    }
    if (!signer.equalsIgnoreCase(address)) {
      throw unauthorized("the signature is not by " + address);
    }
    return new Verified(address.toLowerCase(java.util.Locale.ROOT), nonce, expiry);
  }

  static ApiError unauthorized(String reason) {
    return new ApiError(401, "unauthorized", reason);
  }

  private static String header(RoutingContext ctx, String name) {
    String v = ctx.request().getHeader(name);
    if (v == null || v.isEmpty()) {
      throw unauthorized("missing header " + name + "; every change is signed by the caller's key");
    }
    return v;
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
