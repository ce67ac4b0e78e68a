package org.ridecoop.node.ride;

import java.security.SignatureException;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.RideRequest;
import org.web3j.utils.Numeric;

/**
 * A rider's EIP-712 {@link RideRequest} with the rider's signature: what travels between nodes.
 *
 * @param request the signed message (H3 resolution-7 cells, no exact points)
 * @param riderSignature the rider's 65-byte signature
 */
public record SignedRideRequest(RideRequest request, byte[] riderSignature) {

  /** The request's EIP-712 struct hash, 0x hex: its identity and the {@code requestHash} of offers. */
  public String requestHash() {
    return Numeric.toHexString(request.structHash());
  }

  /** Whether the signature recovers to the request's rider under {@code domain}. */
  public boolean signedByRider(Eip712Domain domain) {
    try {
      return MessageSigner.recover(domain, request.structHash(), riderSignature)
          .equalsIgnoreCase(request.rider());
    } catch (SignatureException | RuntimeException e) {
      return false;
    }
  }
}
