package org.ridecoop.governance;

/**
 * Where a proposal stands, in the order of OpenZeppelin's {@code IGovernor.ProposalState} (the
 * ordinal is what {@code CoopGovernor.state(proposalId)} returns).
 */
public enum ProposalState {
  /** Created; votes open after its snapshot block. */
  PENDING,
  /** Votes are open. */
  ACTIVE,
  /** Withdrawn by its proposer before votes opened. */
  CANCELED,
  /** Vote closed without weighted quorum or without a weighted majority For. */
  DEFEATED,
  /** Vote closed with quorum and a weighted majority For; may be queued in the timelock. */
  SUCCEEDED,
  /** In the timelock, waiting for its delay. */
  QUEUED,
  /** Not used by CoopGovernor (a timelock-control governor never expires proposals). */
  EXPIRED,
  /** Executed by the timelock. */
  EXECUTED;

  /**
   * The state with on-chain value {@code id}.
   *
   * @throws IllegalArgumentException for a value outside 0..7
   */
  public static ProposalState ofId(long id) {
    ProposalState[] all = values();
    if (id < 0 || id >= all.length) {
      throw new IllegalArgumentException("no proposal state with id " + id);
    }
    return all[(int) id];
  }
}
