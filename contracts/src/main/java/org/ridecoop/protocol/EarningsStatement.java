package org.ridecoop.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Hash;

/**
 * The EIP-712 message that seals an earnings statement: who it is about, the block range it was
 * computed from, the hash of that range's last block (which pins the chain: another chain or a
 * reorganised one has another hash) and the keccak256 of the statement's canonical JSON body. The
 * statement itself (its lines and totals) lives in the SDK's {@code org.ridecoop.sdk.statement}.
 *
 * <p>The domain is the co-op's {@code Membership} contract, where the signing nodes are
 * registered: a statement signed for one co-op or chain does not verify against another.
 *
 * @param member the member the statement is about (0x address)
 * @param fromBlock first block of the period
 * @param toBlock last block of the period
 * @param toBlockHash hash of {@code toBlock} (32 bytes)
 * @param contentHash keccak256 of the statement's canonical JSON body (32 bytes)
 */
public record EarningsStatement(String member, long fromBlock, long toBlock, byte[] toBlockHash, byte[] contentHash) {
  /** The EIP-712 name of statements. */
  public static final String DOMAIN_NAME = "RideCoop EarningsStatement";

  /** keccak256 of the type string. */
  public static final byte[] TYPEHASH = Hash.sha3(
      "EarningsStatement(address member,uint64 fromBlock,uint64 toBlock,bytes32 toBlockHash,bytes32 contentHash)"
          .getBytes(StandardCharsets.UTF_8));

  /** The domain statements of the co-op whose Membership contract is {@code membership} are signed in. */
  public static Eip712Domain domain(long chainId, String membership) {
    return new Eip712Domain(DOMAIN_NAME, "1", chainId, membership);
  }

  /** The EIP-712 struct hash. */
  public byte[] structHash() {
    return Hash.sha3(new AbiWords()
        .bytes32(TYPEHASH)
        .address(member)
        .uint(BigInteger.valueOf(fromBlock))
        .uint(BigInteger.valueOf(toBlock))
        .bytes32(toBlockHash)
        .bytes32(contentHash)
        .toBytes());
  }
}
