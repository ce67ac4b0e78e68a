package org.ridecoop.node.matching;

import java.time.Instant;
import java.util.Objects;

/**
 * A ride offered to one driver, who holds no other offer until it accepts, declines or the offer
 * expires ({@link MatchingEngine#accepted}, {@link MatchingEngine#declined},
 * {@link MatchingEngine#timedOut}).
 *
 * @param ride the ride offered
 * @param driver the driver it is offered to
 * @param pickup where the rider waits
 * @param expiresAt when the engine withdraws the offer if the driver has not answered
 * @param attempt 1 for the ride's first offer, 2 after one decline or timeout, and so on
 * @param why why this driver: the figures the driver and the rider are shown
 */
public record Offer(
    RideId ride, DriverId driver, LatLng pickup, Instant expiresAt, int attempt, OfferReason why)
    implements MatchOutcome {

  /** Rejects null fields. */
  public Offer {
    Objects.requireNonNull(ride, "ride");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(pickup, "pickup");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(why, "why");
  }
}
