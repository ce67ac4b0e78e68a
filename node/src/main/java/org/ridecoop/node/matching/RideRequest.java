package org.ridecoop.node.matching;

import java.util.Objects;

/**
 * A rider asking for a driver at a pickup point: all that matching needs to know of a ride.
 *
 * @param ride the ride's identifier
 * @param pickup where the rider waits
 */
public record RideRequest(RideId ride, LatLng pickup) {

  /** Rejects null fields. */
  public RideRequest {
    Objects.requireNonNull(ride, "ride");
    Objects.requireNonNull(pickup, "pickup");
  }
}
