package org.ridecoop.node.federation;

import org.ridecoop.node.matching.LatLng;
import org.ridecoop.protocol.RideRequest;
import org.web3j.utils.Numeric;

/**
 * A rider's EIP-712 signed ride request, as it travels between nodes.
 *
 * @param request the message
 * @param riderSignature the rider's 65-byte signature of it under the RideLedger domain
 * @param pickup the exact pickup point, or null when the asking node did not send it: the driver a
 *     peer matches must know where to go, and the signed request only names a resolution-7 cell
 *     (about 5 km²). Not covered by the rider's signature; the answering node checks that it lies
 *     in the signed pickup cell.
 */
public record SignedRideRequest(RideRequest request, byte[] riderSignature, LatLng pickup) {

  /** A request without the exact pickup point. */
  public SignedRideRequest(RideRequest request, byte[] riderSignature) {
    this(request, riderSignature, null);
  }

  /** The request's struct hash as 0x hex (the {@code requestHash} offers answering it carry). */
  public String requestHash() {
    return Numeric.toHexString(request.structHash());
  }
}
