/**
 * Members' governance through the node: {@code POST /v1/governance/ballots} takes a member's
 * EIP-712 ballot, checks it against the chain (signature, proposal open, a vote at the snapshot,
 * not voted yet) and sends it with the node key as {@code CoopGovernor.castVoteBySig}, so members
 * vote without paying for a transaction.
 */
package org.ridecoop.node.governance;
