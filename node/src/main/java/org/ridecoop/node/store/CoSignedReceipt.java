package org.ridecoop.node.store;

import org.ridecoop.protocol.TripReceipt;

/**
 * A trip receipt with the rider's signature: what {@code RideLedger.settleBatch} takes.
 *
 * @param receipt what was driven
 * @param riderSignature the rider's 65-byte EIP-712 signature of it
 */
public record CoSignedReceipt(TripReceipt receipt, byte[] riderSignature) {}
