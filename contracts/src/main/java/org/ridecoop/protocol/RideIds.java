package org.ridecoop.protocol;

import java.math.BigInteger;
import org.web3j.utils.Numeric;

/** Ride ids as the RideLedger forms them: {@code uint160(rider) << 32 | rideNonce}. */
public final class RideIds {
  private RideIds() {}

  /** The id of the rider's ride with {@code rideNonce}. */
  public static BigInteger of(String rider, long rideNonce) {
    if (rideNonce < 0 || rideNonce > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("ride nonce out of uint32 range: " + rideNonce);
    }
    return Numeric.toBigInt(rider).shiftLeft(32).or(BigInteger.valueOf(rideNonce));
  }

  /** The rider part of a ride id, as a 0x-prefixed lower-case address. */
  public static String rider(BigInteger rideId) {
    return Numeric.toHexStringWithPrefixZeroPadded(rideId.shiftRight(32), 40);
  }

  /** The nonce part of a ride id. */
  public static long nonce(BigInteger rideId) {
    return rideId.longValue() & 0xFFFF_FFFFL;
  }
}
