package org.ridecoop.governance;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Builds and signs the EIP-712 {@code Ballot} that CoopGovernor's {@code castVoteBySig(proposalId,
 * support, voter, signature)} accepts, so a member's vote can be relayed by a node that pays the
 * transaction. The governor consumes the voter's nonce ({@code nonces(voter)}) with each signed
 * vote, and the domain binds the chain id and the governor's address: a signature is good once, on
 * one chain, for one governor.
 */
public final class BallotSigner {
  /** The governor's EIP-712 name, equal to {@code CoopGovernor.GOVERNOR_NAME}. */
  public static final String GOVERNOR_NAME = "RideCoop Governor";

  /** keccak256 of the Ballot type string, equal to OpenZeppelin's {@code Governor.BALLOT_TYPEHASH}. */
  public static final byte[] BALLOT_TYPEHASH = Hash.sha3(
      "Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)"
          .getBytes(StandardCharsets.UTF_8));

  private final Eip712Domain domain;

  /** A signer for ballots on the governor described by {@code domain}. */
  public BallotSigner(Eip712Domain domain) {
    this.domain = Objects.requireNonNull(domain, "domain");
  }

  /** A signer for the CoopGovernor at {@code governorAddress} on chain {@code chainId}. */
  public static BallotSigner forGovernor(long chainId, String governorAddress) {
    return new BallotSigner(new Eip712Domain(GOVERNOR_NAME, "1", chainId, governorAddress));
  }

  /** The domain ballots are signed under. */
  public Eip712Domain domain() {
    return domain;
  }

  /**
   * The EIP-712 struct hash of a ballot: keccak256(abi.encode(BALLOT_TYPEHASH, proposalId,
   * support, voter, nonce)).
   */
  public static byte[] structHash(BigInteger proposalId, Support support, String voter, BigInteger nonce) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(5 * 32);
    out.writeBytes(BALLOT_TYPEHASH);
    out.writeBytes(word(proposalId));
    out.writeBytes(word(BigInteger.valueOf(support.id())));
    out.writeBytes(word(Numeric.toBigInt(voter)));
    out.writeBytes(word(nonce));
    return Hash.sha3(out.toByteArray());
  }

  /** The 32-byte digest the voter signs. */
  public byte[] digest(BigInteger proposalId, Support support, String voter, BigInteger nonce) {
    return domain.digest(structHash(proposalId, support, voter, nonce));
  }

  /**
   * Signs a ballot for {@code voter}'s current {@code nonce} (read it from the governor's {@code
   * nonces(voter)}). The voter is the key's address.
   *
   * @return the 65-byte r ‖ s ‖ v signature for {@code castVoteBySig}
   */
  public byte[] sign(BigInteger proposalId, Support support, BigInteger nonce, Credentials voter) {
    return MessageSigner.signDigest(digest(proposalId, support, voter.getAddress(), nonce), voter);
  }

  private static byte[] word(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("not a uint256: " + value);
    }
    return Numeric.toBytesPadded(value, 32);
  }
}
