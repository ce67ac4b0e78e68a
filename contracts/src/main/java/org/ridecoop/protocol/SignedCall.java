package org.ridecoop.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SignatureException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * The signed-call format that authenticates a mutating node API call by the caller's key, without
 * sessions or passwords: an EIP-191 personal signature over
 * {@code ridecoop:<METHOD>:<path>:<sha256(body) hex>:<nonce>:<expiry>}, sent in the headers
 * {@value #ADDRESS_HEADER}, {@value #NONCE_HEADER}, {@value #EXPIRY_HEADER} (unix seconds) and
 * {@value #SIGNATURE_HEADER} (65 bytes, 0x hex).
 *
 * <p>Rules: the nonce is 1 to 64 letters, digits, '-' or '_' and a node accepts it once per
 * address; the call must not have expired and may be valid for at most
 * {@link #MAX_VALIDITY_SECONDS}. Clients sign with {@link #sign}; nodes check with {@link #verify}
 * and keep the nonce.
 *
 * @param address the caller's address, as sent
 * @param nonce single-use per caller
 * @param expiry unix seconds after which the call is refused
 * @param signature 65 bytes r ‖ s ‖ v as 0x hex
 */
public record SignedCall(String address, String nonce, long expiry, String signature) {

  /** The longest a signed call may be valid, so nonces need not be kept long. */
  public static final long MAX_VALIDITY_SECONDS = 600;
  /** Header carrying the caller's address. */
  public static final String ADDRESS_HEADER = "X-Ridecoop-Address";
  /** Header carrying the single-use nonce. */
  public static final String NONCE_HEADER = "X-Ridecoop-Nonce";
  /** Header carrying the expiry, unix seconds. */
  public static final String EXPIRY_HEADER = "X-Ridecoop-Expiry";
  /** Header carrying the signature. */
  public static final String SIGNATURE_HEADER = "X-Ridecoop-Signature";

  private static final Pattern ADDRESS_FORMAT = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern NONCE_FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern SIGNATURE_FORMAT = Pattern.compile("0x[0-9a-fA-F]{130}");

  /** A signed call that must be refused; the message says why. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason what is wrong with the call */
    public Refused(String reason) {
      super(reason);
    }
  }

  /** The string that is signed. */
  public static String canonical(String method, String path, byte[] body, String nonce, long expiry) {
    return "ridecoop:" + method + ":" + path + ":" + sha256(body) + ":" + nonce + ":" + expiry;
  }

  /**
   * Signs a call as a client does.
   *
   * @param key the caller's key
   * @param method HTTP method, upper case
   * @param path the request path without query
   * @param body the exact body bytes sent (empty for none)
   * @param nonce a fresh nonce
   * @param expiry unix seconds, at most {@link #MAX_VALIDITY_SECONDS} ahead
   */
  public static SignedCall sign(Credentials key, String method, String path, byte[] body, String nonce, long expiry) {
    byte[] digest = Sign.getEthereumMessageHash(
        canonical(method, path, body, nonce, expiry).getBytes(StandardCharsets.UTF_8));
    return new SignedCall(key.getAddress(), nonce, expiry, Numeric.toHexString(MessageSigner.signDigest(digest, key)));
  }

  /**
   * Reads the four header values (any may be null when the header is missing).
   *
   * @throws Refused naming the missing or malformed header
   */
  public static SignedCall fromHeaders(String address, String nonce, String expiry, String signature)
      throws Refused {
    require(address, ADDRESS_HEADER);
    require(nonce, NONCE_HEADER);
    require(expiry, EXPIRY_HEADER);
    require(signature, SIGNATURE_HEADER);
    if (!ADDRESS_FORMAT.matcher(address).matches()) {
      throw new Refused(ADDRESS_HEADER + " must be a 0x address");
    }
    if (!NONCE_FORMAT.matcher(nonce).matches()) {
      throw new Refused(NONCE_HEADER + " must be 1 to 64 letters, digits, '-' or '_'");
    }
    long seconds;
    try {
      seconds = Long.parseLong(expiry);
    } catch (NumberFormatException e) {
      throw new Refused(EXPIRY_HEADER + " must be unix seconds");
    }
    return new SignedCall(address, nonce, seconds, signature);
  }

  /**
   * Checks the validity window and the signature against the call's method, path and body.
   *
   * @param nowSeconds the verifier's clock, unix seconds
   * @return the caller, lower-case 0x hex
   * @throws Refused naming what is wrong
   */
  public String verify(String method, String path, byte[] body, long nowSeconds) throws Refused {
    if (expiry < nowSeconds) {
      throw new Refused("the signed call expired at " + expiry + " (now " + nowSeconds + ")");
    }
    if (expiry > nowSeconds + MAX_VALIDITY_SECONDS) {
      throw new Refused("the signed call is valid until " + expiry + ", more than "
          + MAX_VALIDITY_SECONDS + " s ahead");
    }
    if (!SIGNATURE_FORMAT.matcher(signature).matches()) {
      throw new Refused(SIGNATURE_HEADER + " must be 65 bytes as 0x hex");
    }
    String text = canonical(method, path, body, nonce, expiry);
    String signer;
    try {
      signer = MessageSigner.recoverDigest(
          Sign.getEthereumMessageHash(text.getBytes(StandardCharsets.UTF_8)), Numeric.hexStringToByteArray(signature));
    } catch (SignatureException | RuntimeException e) {
      throw new Refused("bad signature: " + e.getMessage());
    }
    if (!signer.equalsIgnoreCase(address)) {
      throw new Refused("the signature is not by " + address);
    }
    return address.toLowerCase(Locale.ROOT);
  }

  /** The header values in the order address, nonce, expiry, signature. */
  public String[] headerValues() {
    return new String[] {address, nonce, Long.toString(expiry), signature};
  }

  private static void require(String value, String header) throws Refused {
    if (value == null || value.isEmpty()) {
      throw new Refused("missing header " + header + "; every change is signed by the caller's key");
    }
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
