package org.ridecoop.sdk.governance;

import java.math.BigInteger;
import org.ridecoop.governance.ProposalState;
import org.ridecoop.sdk.RideCoopException;

/**
 * A proposal cannot be queued or executed yet (or any more): it is in the wrong state, or its
 * timelock delay is not over. Nothing was sent.
 */
public final class ProposalNotReadyException extends RideCoopException {
  private static final long serialVersionUID = 1L;

  private final BigInteger proposalId;
  private final ProposalState state;
  private final long eta;

  /**
   * @param proposalId the proposal
   * @param state its state now
   * @param eta when the timelock lets it execute (seconds since the epoch), 0 when not queued
   * @param message what was asked and why it cannot be done
   */
  public ProposalNotReadyException(BigInteger proposalId, ProposalState state, long eta, String message) {
    super(message);
    this.proposalId = proposalId;
    this.state = state;
    this.eta = eta;
  }

  /** The proposal. */
  public BigInteger proposalId() {
    return proposalId;
  }

  /** Its state when asked. */
  public ProposalState state() {
    return state;
  }

  /** When it may execute (seconds since the epoch), 0 when it is not queued. */
  public long eta() {
    return eta;
  }
}
