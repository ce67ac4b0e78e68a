package org.ridecoop.sdk;

import java.math.BigInteger;

/** Neither a node nor the ledger knows the ride: a wrong id, or a request that was never made. */
public final class UnknownRideException extends RideCoopException {
  private static final long serialVersionUID = 1L;

  private final BigInteger rideId;

  UnknownRideException(BigInteger rideId, String detail) {
    super("unknown ride " + rideId + ": " + detail);
    this.rideId = rideId;
  }

  /** The ride id asked for. */
  public BigInteger rideId() {
    return rideId;
  }
}
