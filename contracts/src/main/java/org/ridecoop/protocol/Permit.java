package org.ridecoop.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Hash;

/**
 * An EIP-2612 permit for CoopToken: lets a rider approve and deposit (or a member approve and
 * join) in one transaction.
 *
 * @param owner who approves
 * @param spender who may spend (RideLedger or Membership)
 * @param value allowance
 * @param nonce the owner's current permit nonce ({@code CoopToken.nonces(owner)})
 * @param deadline unix seconds
 */
public record Permit(String owner, String spender, BigInteger value, BigInteger nonce, long deadline) {
  /** CoopToken's EIP-712 name, as in its constructor. */
  public static final String TOKEN_NAME = "CoopEuro";

  private static final byte[] TYPEHASH = Hash.sha3(
      "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
          .getBytes(StandardCharsets.UTF_8));

  /** The domain of a deployed CoopToken. */
  public static Eip712Domain tokenDomain(long chainId, String tokenAddress) {
    return new Eip712Domain(TOKEN_NAME, "1", chainId, tokenAddress);
  }

  /** The EIP-712 struct hash. */
  public byte[] structHash() {
    return Hash.sha3(new AbiWords()
        .bytes32(TYPEHASH)
        .address(owner)
        .address(spender)
        .uint(value)
        .uint(nonce)
        .uint(deadline)
        .toBytes());
  }
}
