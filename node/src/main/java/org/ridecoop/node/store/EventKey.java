package org.ridecoop.node.store;

/**
 * Identifies one chain event (log) for de-duplication.
 *
 * @param txHash the 0x hash of the transaction that emitted it
 * @param logIndex its index in the block
 * @param blockNumber the block it is in (kept so old keys can be forgotten)
 */
public record EventKey(String txHash, long logIndex, long blockNumber) {}
