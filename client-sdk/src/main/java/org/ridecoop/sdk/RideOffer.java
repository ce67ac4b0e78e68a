package org.ridecoop.sdk;

import java.net.URI;
import org.ridecoop.protocol.Offer;

/**
 * A driver's signed offer for a rider's request, as a node relayed it, with why this driver.
 *
 * @param offer the EIP-712 offer the driver signed
 * @param driverSignature the driver's 65-byte signature
 * @param offerHash the node's id of the offer
 * @param reason why the node chose this driver; null for an offer relayed from a peer node, which
 *     gives only the ETA in the offer itself
 * @param fromPeer whether a peer node's driver made it
 * @param node the node that relayed it
 * @param servedAt for a peer's driver's offer, the peer node that serves the ride once it is booked
 *     (where the driver reports the drop-off and drafts the receipt); null for the relaying node's
 *     own driver
 */
public record RideOffer(Offer offer, byte[] driverSignature, String offerHash, Reason reason, boolean fromPeer,
    URI node, URI servedAt) {

  /** The driver. */
  public String driver() {
    return offer.driver();
  }

  /** The estimated time to the pickup, seconds. */
  public long etaSeconds() {
    return offer.etaSeconds();
  }

  /**
   * Why the node offered this driver.
   *
   * @param etaSeconds estimated time to the pickup
   * @param distanceMetres the driver's distance to the pickup
   * @param rank the driver's rank among the candidates (1 = best)
   * @param candidates how many drivers were considered
   * @param text the reason in words
   */
  public record Reason(long etaSeconds, long distanceMetres, int rank, int candidates, String text) {}
}
