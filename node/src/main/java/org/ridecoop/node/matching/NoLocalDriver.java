package org.ridecoop.node.matching;

import java.util.Objects;

/**
 * No driver of this node will take the ride; the engine has forgotten it and the federation layer
 * may ask the peers whose service area covers the pickup.
 *
 * @param ride the ride
 * @param pickup where the rider waits (for the request to peers)
 * @param reason why the local drivers cannot serve it
 * @param offersMade how many local drivers were offered the ride before giving up
 */
public record NoLocalDriver(RideId ride, LatLng pickup, Reason reason, int offersMade)
    implements MatchOutcome {

  /** Rejects null fields. */
  public NoLocalDriver {
    Objects.requireNonNull(ride, "ride");
    Objects.requireNonNull(pickup, "pickup");
    Objects.requireNonNull(reason, "reason");
  }

  /** Why no local driver was offered the ride. */
  public enum Reason {
    /** No online driver within the ETA cutoff of the pickup. */
    NO_DRIVER_IN_REACH,
    /** Every driver in reach already declined this ride or let its offer expire. */
    ALL_IN_REACH_DECLINED,
    /** The drivers in reach are all holding offers for other rides. */
    DRIVERS_BUSY,
    /** The window's assignment gave every candidate of this ride to other rides. */
    CANDIDATES_TAKEN_BY_OTHER_RIDES,
    /** The ride was offered the configured maximum number of times. */
    OFFER_LIMIT_REACHED
  }
}
