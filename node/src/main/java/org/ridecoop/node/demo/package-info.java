/**
 * {@code ridecoop demo}: a whole co-op on a dev chain in under two minutes. Founds the co-op,
 * simulates drivers and riders in Paris (matching by the node's {@link
 * org.ridecoop.node.matching.MatchingEngine}, signed requests and offers, bookings and batched
 * settlements on chain), runs a fare vote, closes an epoch, pays dividends and prints the audit.
 * The matching-and-booking phase is one {@link org.ridecoop.node.demo.Dispatch} strategy, so the
 * in-process engine can be swapped for a network of real nodes. The members' ballots are mined
 * together ({@code TransactionBatch}), so any size of co-op votes within
 * the voting period; with {@code --keep} the chain stays up afterwards for the audit and the SDK.
 */
package org.ridecoop.node.demo;
