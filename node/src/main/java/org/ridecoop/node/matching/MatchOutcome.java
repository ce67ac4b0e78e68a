package org.ridecoop.node.matching;

/**
 * What the engine decided for a ride when a window closed: an {@link Offer} to one driver, or
 * {@link NoLocalDriver}, after which the federation layer asks the peer nodes.
 */
public sealed interface MatchOutcome permits Offer, NoLocalDriver {

  /** The ride this outcome is about. */
  RideId ride();
}
