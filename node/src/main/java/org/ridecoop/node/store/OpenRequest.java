package org.ridecoop.node.store;

import org.ridecoop.protocol.RideRequest;
import org.web3j.utils.Numeric;

/**
 * A rider's signed ride request that no offer has closed yet.
 *
 * @param request the EIP-712 message
 * @param riderSignature the rider's 65-byte signature of it
 * @param receivedAt when this node received it (unix ms)
 */
public record OpenRequest(RideRequest request, byte[] riderSignature, long receivedAt) {

  /** The request's EIP-712 struct hash as 0x hex: its identity, and what offers point at. */
  public String requestHash() {
    return Numeric.toHexString(request.structHash());
  }
}
