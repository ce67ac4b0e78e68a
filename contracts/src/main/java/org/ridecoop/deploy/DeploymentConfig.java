package org.ridecoop.deploy;

import java.math.BigInteger;
import java.util.List;
import org.ridecoop.fare.FareParams;

/**
 * The founding rules a deployment starts from. After deployment every one of them is changed only
 * by a member vote through the timelock.
 *
 * @param onRamp address allowed to mint CoopToken against euros received (zero address: none)
 * @param disputeCommittee first dispute committee
 * @param sharePrice share capital one membership costs, token base units
 * @param leaveNoticeSeconds notice period before a leaving member's capital is refunded
 * @param fare fare-schedule version 1
 * @param epochLengthSeconds patronage epoch length
 * @param bookingTimeoutSeconds after it, a ride without receipt may be reclaimed by the rider
 * @param disputeWindowSeconds time a rider has to dispute a receipt it did not co-sign
 * @param timelockDelaySeconds delay between a passed proposal and its execution
 * @param votingDelayBlocks blocks between a proposal and its vote snapshot (at least 1)
 * @param votingPeriodBlocks blocks a vote stays open
 * @param collegeWeightsBps weights of the drivers, riders and supporters colleges (sum 10,000)
 * @param quorumBps weighted turnout a vote needs
 */
public record DeploymentConfig(
    String onRamp,
    String disputeCommittee,
    BigInteger sharePrice,
    long leaveNoticeSeconds,
    FareParams fare,
    long epochLengthSeconds,
    long bookingTimeoutSeconds,
    long disputeWindowSeconds,
    long timelockDelaySeconds,
    long votingDelayBlocks,
    long votingPeriodBlocks,
    List<Integer> collegeWeightsBps,
    int quorumBps) {

  public DeploymentConfig {
    if (collegeWeightsBps.size() != 3) {
      throw new IllegalArgumentException("three college weights: drivers, riders, supporters");
    }
    collegeWeightsBps = List.copyOf(collegeWeightsBps);
  }

  /**
   * Rules for a development chain: 20 EUR share, one-day notice, weekly epochs, two-day timelock,
   * 50/30/20 college weights, 20 % weighted quorum.
   */
  public static DeploymentConfig devDefaults(String onRamp, String disputeCommittee) {
    return new DeploymentConfig(
        onRamp,
        disputeCommittee,
        BigInteger.valueOf(20_000_000L),
        86_400,
        FareParams.standard(),
        7 * 86_400,
        2 * 3_600,
        24 * 3_600,
        2 * 86_400,
        1,
        50,
        List.of(5_000, 3_000, 2_000),
        2_000);
  }
}
