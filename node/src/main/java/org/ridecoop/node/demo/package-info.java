/**
 * {@code ridecoop demo}: a whole co-op on a dev chain in under two minutes. Founds the co-op,
 * simulates drivers and riders in Paris (matching by the node's {@link
 * org.ridecoop.node.matching.MatchingEngine}, signed requests and offers, bookings and batched
 * settlements on chain), runs a fare vote, closes an epoch, pays dividends and prints the audit.
 * First, before the demo moves the chain clock, rides go through real fleet nodes ({@code
 * FleetNodes}: the runtime {@code ridecoop node start} runs, one node per fleet, overlapping
 * service areas in the on-chain registry): riders through the rider SDK, drivers through the
 * node's driver API ({@code DriverClient}), and some riders' own nodes have no driver in reach, so
 * a peer node's driver serves them ({@code NodeRides}). The later windows are matched in-process
 * ({@link org.ridecoop.node.demo.EngineDispatch}). The members' ballots are mined
 * together ({@code TransactionBatch}), so any size of co-op votes within
 * the voting period; with {@code --keep} the chain stays up afterwards for the audit and the SDK.
 */
package org.ridecoop.node.demo;
