/**
 * The Java side of the co-op's membership and governance: the {@link
 * org.ridecoop.governance.College colleges} and {@link org.ridecoop.governance.MemberStatus member
 * statuses} as Membership numbers them, the {@link org.ridecoop.governance.Support vote choices},
 * and {@link org.ridecoop.governance.BallotSigner} which signs EIP-712 ballots that a node relays to
 * CoopGovernor's {@code castVoteBySig}, so a member votes without paying for a transaction.
 * {@link org.ridecoop.governance.SolidarityPayout} builds the one supported proposal for a
 * solidarity payout: a salted commitment to the reason and a description that names none.
 */
package org.ridecoop.governance;
