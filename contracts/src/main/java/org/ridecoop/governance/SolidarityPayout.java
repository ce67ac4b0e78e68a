package org.ridecoop.governance;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.ridecoop.contracts.Treasury;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.crypto.WalletUtils;
import org.web3j.utils.Numeric;

/**
 * A solidarity payout to a member, the private way: the supported way to build the governance
 * proposal that calls {@code Treasury.payFromSolidarity}.
 *
 * <p>Why: solidarity payouts are mostly for health (sick leave, maternity, injury), and everything a
 * proposal carries is public forever: the description is in {@code ProposalCreated}, the reason
 * hash in the calldata and in {@code SolidarityPaid}. A plain hash of a short reason is no secret:
 * anyone can hash a list of common reasons and match it. So the reason hash here is a commitment
 * {@code keccak256(reason ‖ salt)} (UTF-8 bytes of the reason, then a random 32-byte salt, as
 * Solidity's {@code abi.encodePacked(reason, salt)}); the salt and the reason stay off chain with
 * the member and the committee, who can later prove which reason was committed. The description is
 * generic: "Solidarity payout #n to 0x…, reason committed as 0x…", naming neither the reason nor
 * anything about it.
 *
 * <p>Use: {@code SolidarityPayout p = SolidarityPayout.of(member, amount, reason);} then vote on
 * {@code p.proposal(treasuryAddress, n)}, and hand {@code p.salt()} (with the reason) to the member,
 * never to the chain. Other calls must not be bundled into the same proposal with a description
 * that names the reason.
 *
 * @param to the member paid
 * @param amount token base units paid from the solidarity fund
 * @param reason the reason, kept off chain
 * @param salt 32 random bytes, kept off chain; without it the commitment cannot be opened
 */
public record SolidarityPayout(String to, BigInteger amount, String reason, byte[] salt) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public SolidarityPayout {
    if (to == null || !WalletUtils.isValidAddress(to) || Numeric.toBigInt(to).signum() == 0) {
      throw new IllegalArgumentException("the payout needs the member's address (0x and 40 hex digits, not zero), got " + to);
    }
    if (amount == null || amount.signum() <= 0) {
      throw new IllegalArgumentException("the payout amount must be positive base units, got " + amount);
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("the payout needs a reason (it stays off chain; only its commitment goes on chain)");
    }
    if (salt == null || salt.length != 32) {
      throw new IllegalArgumentException("the salt must be 32 bytes");
    }
    salt = salt.clone();
  }

  /** A payout of {@code amount} to {@code to} for {@code reason}, with a fresh random salt. */
  public static SolidarityPayout of(String to, BigInteger amount, String reason) {
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    return new SolidarityPayout(to, amount, reason, salt);
  }

  /** The commitment {@code keccak256(reason ‖ salt)} that any holder of the reason and salt can check. */
  public static byte[] commitment(String reason, byte[] salt) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] packed = Arrays.copyOf(text, text.length + salt.length);
    System.arraycopy(salt, 0, packed, text.length, salt.length);
    return Hash.sha3(packed);
  }

  /** The 32 random bytes of the commitment (a copy), to hand to the member off chain. */
  @Override
  public byte[] salt() {
    return salt.clone();
  }

  /** The {@code reasonHash} that goes on chain: {@link #commitment(String, byte[])} of this payout. */
  public byte[] reasonHash() {
    return commitment(reason, salt);
  }

  /**
   * The governance proposal that pays it: one call of {@code payFromSolidarity(to, amount,
   * reasonHash)} on {@code treasury}, described "Solidarity payout #{@code number} to {@code to},
   * reason committed as 0x…". {@code number} is the committee's case number; it keeps the
   * descriptions of payouts to the same member apart.
   */
  public Proposal proposal(String treasury, long number) {
    if (treasury == null || !WalletUtils.isValidAddress(treasury)) {
      throw new IllegalArgumentException("the treasury address must be 0x and 40 hex digits, got " + treasury);
    }
    Function call = new Function(Treasury.FUNC_PAYFROMSOLIDARITY,
        List.of(new Address(to), new Uint256(amount), new Bytes32(reasonHash())), List.of());
    String description = "Solidarity payout #" + number + " to " + to + ", reason committed as 0x"
        + HexFormat.of().formatHex(reasonHash());
    return new Proposal(List.of(treasury), List.of(BigInteger.ZERO),
        List.of(Numeric.hexStringToByteArray(FunctionEncoder.encode(call))), description);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SolidarityPayout p && to.equalsIgnoreCase(p.to) && amount.equals(p.amount)
        && reason.equals(p.reason) && Arrays.equals(salt, p.salt);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(salt);
  }

  /** Does not print the reason or the salt (they must not reach a log). */
  @Override
  public String toString() {
    return "SolidarityPayout[to=" + to + ", amount=" + amount + ", reasonHash=0x"
        + HexFormat.of().formatHex(reasonHash()) + "]";
  }
}
