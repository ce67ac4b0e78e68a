/**
 * The members' general assembly from Java: build proposals (a new fare schedule version, a new
 * commission split, suspending or excluding a member with a reason hash, or any calls), propose,
 * follow their state, vote directly or by a signed EIP-712 ballot that a node relays (the member
 * pays no gas), queue what passed and execute it after the timelock. Get a {@link
 * org.ridecoop.sdk.governance.Governance} from {@code RideCoop.governance()}. It reuses the
 * protocol types of {@code org.ridecoop.governance} ({@link org.ridecoop.governance.Proposal},
 * {@link org.ridecoop.governance.ProposalState}, {@link org.ridecoop.governance.Support}, {@link
 * org.ridecoop.governance.BallotSigner}). Reverts surface as {@link
 * org.ridecoop.sdk.ChainRefusedException} naming the governor's custom error.
 */
package org.ridecoop.sdk.governance;
