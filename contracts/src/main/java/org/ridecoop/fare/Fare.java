package org.ridecoop.fare;

/**
 * The Java twin of {@code FareMath.fare} in the contracts: the node quotes with it and the
 * auditor re-checks settled fares with it. Tests hold it equal to the on-chain function.
 *
 * <p>{@code fare = max(minimumFare, baseFare + floor((perKm*metres*3 + perMinute*seconds*50) / 3000))
 * + bookingFee}, in token base units. The single division rounds down once, as on chain.
 */
public final class Fare {
  private Fare() {}

  /**
   * The fare of a ride of {@code metres} and {@code seconds} under {@code p}.
   *
   * @throws IllegalArgumentException for a negative distance or duration
   */
  public static long of(FareParams p, long metres, long seconds) {
    if (metres < 0 || seconds < 0) {
      throw new IllegalArgumentException("distance and duration must be >= 0");
    }
    // Bounds (perKm <= 20e6, metres < 2^32) keep every product far below 2^63.
    long variable = Math.addExact(
        Math.multiplyExact(Math.multiplyExact(p.perKm(), metres), 3L),
        Math.multiplyExact(Math.multiplyExact(p.perMinute(), seconds), 50L)) / 3000L;
    long metered = Math.max(p.minimumFare(), p.baseFare() + variable);
    return metered + p.bookingFee();
  }

  /** The co-op's commission on {@code fare}, rounded down; the driver receives the rest. */
  public static long commission(FareParams p, long fare) {
    return fare * p.commissionBps() / 10_000L;
  }
}
