package org.ridecoop.node.store;

import org.ridecoop.protocol.Offer;
import org.web3j.utils.Numeric;

/**
 * A driver's signed offer answering an open request.
 *
 * @param offer the EIP-712 message
 * @param driverSignature the driver's 65-byte signature of it
 * @param createdAt when it was made or received here (unix ms)
 */
public record SignedOffer(Offer offer, byte[] driverSignature, long createdAt) {

  /** The offer's EIP-712 struct hash as 0x hex. */
  public String offerHash() {
    return Numeric.toHexString(offer.structHash());
  }

  /** The hash of the request it answers, as 0x hex. */
  public String requestHash() {
    return Numeric.toHexString(offer.requestHash());
  }
}
