package org.ridecoop.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Hash;

/**
 * A driver's signed offer for a rider's request. The rider books it on chain
 * ({@code RideLedger.book}); the ledger checks the driver's signature and locks {@code maxFare}.
 *
 * @param requestHash EIP-712 hash of the rider's {@link RideRequest}
 * @param rider the rider who may book it
 * @param driver the driver who signs it
 * @param maxFare quoted maximum fare, token base units
 * @param rideNonce the rider's next ride nonce (single use)
 * @param etaSeconds estimated time to the pickup
 * @param scheduleVersion the current fare-schedule version
 * @param expiry unix seconds after which it cannot be booked
 */
public record Offer(
    byte[] requestHash,
    String rider,
    String driver,
    BigInteger maxFare,
    long rideNonce,
    long etaSeconds,
    int scheduleVersion,
    long expiry) {

  /** keccak256 of the Offer type string, equal to {@code RideLedger.OFFER_TYPEHASH}. */
  public static final byte[] TYPEHASH = Hash.sha3((
      "Offer(bytes32 requestHash,address rider,address driver,uint256 maxFare,uint64 rideNonce,"
          + "uint32 etaSeconds,uint16 scheduleVersion,uint64 expiry)").getBytes(StandardCharsets.UTF_8));

  /** The EIP-712 struct hash. */
  public byte[] structHash() {
    return Hash.sha3(new AbiWords()
        .bytes32(TYPEHASH)
        .bytes32(requestHash)
        .address(rider)
        .address(driver)
        .uint(maxFare)
        .uint(rideNonce)
        .uint(etaSeconds)
        .uint(scheduleVersion)
        .uint(expiry)
        .toBytes());
  }

  /** The ride id this offer creates once booked. */
  public BigInteger rideId() {
    return RideIds.of(rider, rideNonce);
  }
}
