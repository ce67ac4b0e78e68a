package org.ridecoop.sdk.governance;

import java.math.BigInteger;
import java.util.Objects;
import org.ridecoop.governance.Support;
import org.web3j.utils.Numeric;

/**
 * A member's vote signed as the EIP-712 {@code Ballot} of CoopGovernor, for anyone to send with
 * {@code castVoteBySig}. Good once: the governor consumes the voter's nonce.
 *
 * @param proposalId the proposal
 * @param support the choice
 * @param voter the member's address
 * @param nonce the voter's governor nonce it was signed for
 * @param signature 65 bytes r ‖ s ‖ v
 */
public record SignedBallot(BigInteger proposalId, Support support, String voter, BigInteger nonce, byte[] signature) {

  /** Checks the fields. */
  public SignedBallot {
    Objects.requireNonNull(proposalId, "proposalId");
    Objects.requireNonNull(support, "support");
    Objects.requireNonNull(voter, "voter");
    Objects.requireNonNull(nonce, "nonce");
    if (signature.length != 65) {
      throw new IllegalArgumentException("a ballot signature has 65 bytes, not " + signature.length);
    }
    signature = signature.clone();
  }

  /** The signature as {@code 0x} hex. */
  public String signatureHex() {
    return Numeric.toHexString(signature);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
