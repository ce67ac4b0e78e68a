package org.ridecoop.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Hash;

/**
 * What was driven: the rider co-signs it, the driver's node submits it for settlement. Nothing
 * personal goes on chain: the route itself stays off-chain, only its hash is signed.
 *
 * @param rideId the ride ({@link RideIds})
 * @param distanceMetres distance driven
 * @param durationSeconds ride duration
 * @param pickupAt unix seconds
 * @param dropoffAt unix seconds
 * @param routeHash hash of the route kept off-chain
 */
public record TripReceipt(
    BigInteger rideId,
    long distanceMetres,
    long durationSeconds,
    long pickupAt,
    long dropoffAt,
    byte[] routeHash) {

  /** keccak256 of the TripReceipt type string, equal to {@code RideLedger.TRIP_RECEIPT_TYPEHASH}. */
  public static final byte[] TYPEHASH = Hash.sha3((
      "TripReceipt(uint256 rideId,uint32 distanceMetres,uint32 durationSeconds,uint64 pickupAt,"
          + "uint64 dropoffAt,bytes32 routeHash)").getBytes(StandardCharsets.UTF_8));

  /** The EIP-712 struct hash. */
  public byte[] structHash() {
    return Hash.sha3(new AbiWords()
        .bytes32(TYPEHASH)
        .uint(rideId)
        .uint(distanceMetres)
        .uint(durationSeconds)
        .uint(pickupAt)
        .uint(dropoffAt)
        .bytes32(routeHash)
        .toBytes());
  }
}
