package org.ridecoop.sdk.governance;

/**
 * Where signed ballots go to be sent on chain by someone who pays the gas: the nodes
 * ({@code POST /v1/governance/ballots}, with fail-over) when the governance comes from a {@code
 * RideCoop} connection.
 */
@FunctionalInterface
public interface BallotRelay {

  /**
   * Relays {@code ballot}.
   *
   * @return the hash of the {@code castVoteBySig} transaction that counted it
   * @throws org.ridecoop.sdk.NodeRefusedException when a node refuses it (bad signature, not a
   *     member, proposal not active, already voted)
   * @throws org.ridecoop.sdk.NoNodeAvailableException when no node answered
   */
  String relay(SignedBallot ballot);
}
