package org.ridecoop.node.federation;

import org.ridecoop.protocol.RideRequest;
import org.web3j.utils.Numeric;

/**
 * A rider's EIP-712 signed ride request, as it travels between nodes.
 *
 * @param request the message
 * @param riderSignature the rider's 65-byte signature of it under the RideLedger domain
 */
public record SignedRideRequest(RideRequest request, byte[] riderSignature) {

  /** The request's struct hash as 0x hex (the {@code requestHash} offers answering it carry). */
  public String requestHash() {
    return Numeric.toHexString(request.structHash());
  }
}
