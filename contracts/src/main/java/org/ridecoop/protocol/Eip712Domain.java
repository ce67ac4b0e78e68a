package org.ridecoop.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Hash;

/**
 * An EIP-712 domain: name, version, chain id and verifying contract. The chain id and the contract
 * address make a signature useless on another network or against another deployment.
 *
 * @param name the contract's EIP-712 name (e.g. {@link #RIDE_LEDGER_NAME})
 * @param version the contract's EIP-712 version
 * @param chainId the chain the contract lives on
 * @param verifyingContract the contract's address (0x-prefixed)
 */
public record Eip712Domain(String name, String version, long chainId, String verifyingContract) {
  /** The RideLedger's EIP-712 name, as in its constructor. */
  public static final String RIDE_LEDGER_NAME = "RideCoop RideLedger";

  private static final byte[] DOMAIN_TYPEHASH = Hash.sha3(
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
          .getBytes(StandardCharsets.UTF_8));

  /** The domain of a deployed RideLedger. */
  public static Eip712Domain rideLedger(long chainId, String ledgerAddress) {
    return new Eip712Domain(RIDE_LEDGER_NAME, "1", chainId, ledgerAddress);
  }

  /** keccak256 of the encoded domain, as {@code EIP712._domainSeparatorV4()} computes it. */
  public byte[] separator() {
    return Hash.sha3(new AbiWords()
        .bytes32(DOMAIN_TYPEHASH)
        .bytes32(Hash.sha3(name.getBytes(StandardCharsets.UTF_8)))
        .bytes32(Hash.sha3(version.getBytes(StandardCharsets.UTF_8)))
        .uint(BigInteger.valueOf(chainId))
        .address(verifyingContract)
        .toBytes());
  }

  /** The digest that is signed: keccak256(0x1901 ‖ domainSeparator ‖ structHash). */
  public byte[] digest(byte[] structHash) {
    byte[] buf = new byte[66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    System.arraycopy(separator(), 0, buf, 2, 32);
    System.arraycopy(structHash, 0, buf, 34, 32);
    return Hash.sha3(buf);
  }
}
