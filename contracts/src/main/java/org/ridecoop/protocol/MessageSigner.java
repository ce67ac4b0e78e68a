package org.ridecoop.protocol;

import java.math.BigInteger;
import java.security.SignatureException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Signs EIP-712 digests with a key and recovers signers, in the 65-byte r ‖ s ‖ v form that
 * OpenZeppelin's ECDSA accepts (low s, v = 27 or 28).
 */
public final class MessageSigner {
  /** secp256k1 group order n, halved: OpenZeppelin's ECDSA rejects s above it. */
  private static final BigInteger HALF_N = new BigInteger(
      "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", 16);

  private MessageSigner() {}

  /** Signs {@code structHash} under {@code domain}. */
  public static byte[] sign(Eip712Domain domain, byte[] structHash, Credentials key) {
    return signDigest(domain.digest(structHash), key);
  }

  /** Signs an already computed 32-byte digest (no further hashing). */
  public static byte[] signDigest(byte[] digest, Credentials key) {
    Sign.SignatureData sig = Sign.signMessage(digest, key.getEcKeyPair(), false);
    byte[] out = new byte[65];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return out;
  }

  /**
   * The address (0x-prefixed, lower case) that signed {@code structHash} under {@code domain}.
   *
   * @throws SignatureException if the signature is malformed or recovers no key
   */
  public static String recover(Eip712Domain domain, byte[] structHash, byte[] signature)
      throws SignatureException {
    return recoverDigest(domain.digest(structHash), signature);
  }

  /** The signer of a 32-byte digest. */
  public static String recoverDigest(byte[] digest, byte[] signature) throws SignatureException {
    if (signature == null || signature.length != 65) {
      throw new SignatureException("a signature is 65 bytes");
    }
    byte v = signature[64];
    if (v != 27 && v != 28) {
      throw new SignatureException("signature v must be 27 or 28, got " + v);
    }
    byte[] r = java.util.Arrays.copyOfRange(signature, 0, 32);
    byte[] s = java.util.Arrays.copyOfRange(signature, 32, 64);
    // Reject high-s signatures as the contracts do (malleability).
    if (new BigInteger(1, s).compareTo(HALF_N) > 0) {
      throw new SignatureException("high-s signature");
    }
    BigInteger key = Sign.signedMessageHashToKey(digest, new Sign.SignatureData(v, r, s));
    return Numeric.prependHexPrefix(Keys.getAddress(key));
  }
}
