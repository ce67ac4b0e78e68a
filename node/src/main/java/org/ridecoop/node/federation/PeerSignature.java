package org.ridecoop.node.federation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.HexFormat;
import java.util.Locale;
import org.ridecoop.protocol.MessageSigner;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * The signature on every peer message, request or answer, carried in HTTP headers. The signed text
 * is {@code ridecoop-peer:<chainId>:<sha256(body) hex>:<sender>:<timestamp ms>:<nonce>}, signed as
 * an EIP-191 personal message by the sending node's key. The chain id keeps a message from one
 * network useless on another; the body hash binds the headers to the body; timestamp and nonce
 * make it single use.
 *
 * @param sender the sending node's address, lower case 0x hex
 * @param timestamp when it was signed, unix ms
 * @param nonce 32 hex characters, never reused by the sender
 * @param signature 65 bytes r ‖ s ‖ v
 */
public record PeerSignature(String sender, long timestamp, String nonce, byte[] signature) {

  /** Header naming the sending node. */
  public static final String SENDER = "x-ridecoop-node";
  /** Header with the signing time, unix ms. */
  public static final String TIMESTAMP = "x-ridecoop-timestamp";
  /** Header with the single-use nonce. */
  public static final String NONCE = "x-ridecoop-nonce";
  /** Header with the signature, 0x hex. */
  public static final String SIGNATURE = "x-ridecoop-signature";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Signs {@code body} as {@code key} now. */
  public static PeerSignature sign(long chainId, byte[] body, Credentials key, long nowMillis) {
    byte[] nonceBytes = new byte[16];
    RANDOM.nextBytes(nonceBytes);
    String nonce = HexFormat.of().formatHex(nonceBytes);
    String sender = key.getAddress().toLowerCase(Locale.ROOT);
    byte[] sig = MessageSigner.signDigest(digest(chainId, body, sender, nowMillis, nonce), key);
    return new PeerSignature(sender, nowMillis, nonce, sig);
  }

  /**
   * Reads the four headers (any may be null).
   *
   * @throws IllegalArgumentException naming the missing or malformed header
   */
  public static PeerSignature fromHeaders(String sender, String timestamp, String nonce, String signature) {
    if (sender == null || timestamp == null || nonce == null || signature == null) {
      throw new IllegalArgumentException("peer messages carry the headers " + SENDER + ", " + TIMESTAMP + ", "
          + NONCE + " and " + SIGNATURE);
    }
    if (!sender.matches("0x[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException(SENDER + " must be a 0x address");
    }
    if (!nonce.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException(NONCE + " must be 32 lower-case hex characters");
    }
    if (!signature.matches("0x[0-9a-fA-F]{130}")) {
      throw new IllegalArgumentException(SIGNATURE + " must be 65 bytes of 0x hex");
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(TIMESTAMP + " must be unix milliseconds");
    }
    return new PeerSignature(sender.toLowerCase(Locale.ROOT), ts, nonce, Numeric.hexStringToByteArray(signature));
  }

  /** Whether the signature over {@code body} on {@code chainId} was made by {@link #sender}. */
  public boolean verifies(long chainId, byte[] body) {
    try {
      String signer = MessageSigner.recoverDigest(digest(chainId, body, sender, timestamp, nonce), signature);
      return signer.equalsIgnoreCase(sender);
    } catch (SignatureException | RuntimeException e) {
      return false;
    }
  }

  /** The signature as 0x hex, for its header. */
  public String signatureHex() {
    return Numeric.toHexString(signature);
  }

  /** The text that is signed. */
  static String text(long chainId, byte[] body, String sender, long timestamp, String nonce) {
    return "ridecoop-peer:" + chainId + ":" + sha256Hex(body) + ":" + sender + ":" + timestamp + ":" + nonce;
  }

  private static byte[] digest(long chainId, byte[] body, String sender, long timestamp, String nonce) {
    return Sign.getEthereumMessageHash(text(chainId, body, sender, timestamp, nonce).getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
