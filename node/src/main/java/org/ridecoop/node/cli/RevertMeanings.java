package org.ridecoop.node.cli;

import java.util.Map;
import org.ridecoop.sdk.ChainRefusedException;

/**
 * What the contracts' custom errors mean to a member at the command line, so a refusal reads as a
 * reason ("you already voted on this proposal") and not only as a Solidity name.
 */
final class RevertMeanings {
  private static final Map<String, String> MEANINGS = Map.ofEntries(
      Map.entry("InvalidStatus", "the account's membership status does not allow this (see `ridecoop member status`)"),
      Map.entry("AlreadyGivenNotice", "notice of leaving was already given"),
      Map.entry("NoNoticeGiven", "give notice first: `ridecoop member leave`"),
      Map.entry("NoticeNotOver", "the notice period is not over yet"),
      Map.entry("UnknownCollege", "there are three colleges: drivers, riders, supporters"),
      Map.entry("ERC20InsufficientBalance", "the account does not hold enough CoopToken"),
      Map.entry("EpochNotClosed", "that epoch is not closed yet; anyone may close it once it has ended"),
      Map.entry("AlreadyClaimed", "that dividend was already claimed"),
      Map.entry("NothingToClaim", "the account earned no patronage points in that epoch"),
      Map.entry("GovernorInsufficientProposerVotes", "only a member holding a vote may propose"),
      Map.entry("GovernorUnexpectedProposalState", "the proposal is not in a state that allows this"),
      Map.entry("GovernorAlreadyCastVote", "this account has already voted on this proposal"),
      Map.entry("GovernorNoVoteAtSnapshot", "the account held no vote when the proposal was made"),
      Map.entry("GovernorNonexistentProposal", "there is no such proposal"),
      Map.entry("GovernorUnexpectedProposalStateOrId", "the proposal is not in a state that allows this"),
      Map.entry("GovernorInvalidSignature", "the ballot's signature is not the voter's"),
      Map.entry("FareParameterOutOfBounds", "a fare parameter is outside the bounds the co-op's rules allow"),
      Map.entry("CommissionSplitNotWhole", "the four commission shares must add up to 10000 bps"),
      Map.entry("ReserveBelowLegalFloor", "the reserve's share may not go below the legal floor"),
      Map.entry("TimelockUnexpectedOperationState", "the timelock does not hold this operation in a state that allows it"));

  private RevertMeanings() {}

  /** {@code Name(args): meaning}, or the decoded error alone when its meaning is not listed. */
  static String explain(ChainRefusedException e) {
    String meaning = MEANINGS.get(e.errorName());
    return e.error() + (meaning == null ? "" : ": " + meaning);
  }
}
