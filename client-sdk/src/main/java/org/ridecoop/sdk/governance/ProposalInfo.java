package org.ridecoop.sdk.governance;

import java.math.BigInteger;
import org.ridecoop.governance.Proposal;
import org.ridecoop.governance.ProposalState;

/**
 * A proposal as the chain knows it: its calls and description (from its {@code ProposalCreated}
 * event), where it stands, and its count.
 *
 * @param id the proposal id
 * @param proposer who proposed it
 * @param proposal its calls and description (what queue and execute need)
 * @param state where it stands now
 * @param snapshot the block whose membership votes on it (votes open after it)
 * @param deadline the last block of the vote
 * @param eta when the timelock lets it execute (seconds since the epoch), 0 unless queued
 * @param forVotes members who voted for, all colleges
 * @param againstVotes members who voted against
 * @param abstainVotes members who abstained
 * @param approvalBps college-weighted approval, basis points
 * @param turnoutBps college-weighted turnout, basis points
 */
public record ProposalInfo(BigInteger id, String proposer, Proposal proposal, ProposalState state, long snapshot,
    long deadline, long eta, long forVotes, long againstVotes, long abstainVotes, long approvalBps, long turnoutBps) {

  /** The description the members read. */
  public String description() {
    return proposal.description();
  }
}
