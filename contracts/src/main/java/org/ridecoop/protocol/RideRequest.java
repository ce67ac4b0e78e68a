package org.ridecoop.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Hash;

/**
 * A rider's signed request for a ride. It travels only between the rider, the matching node and
 * the drivers offered the ride; its hash goes into each {@link Offer}. Cells are H3 resolution-7
 * ids (about 5 km²), coarse enough not to reveal an address.
 *
 * @param rider the rider's address
 * @param pickupCell H3 cell of the pickup
 * @param dropoffCell H3 cell of the drop-off
 * @param maxFare the most the rider accepts to lock, token base units
 * @param rideNonce the rider's next ride nonce on the ledger
 * @param expiry unix seconds after which nodes must ignore it
 */
public record RideRequest(
    String rider, long pickupCell, long dropoffCell, BigInteger maxFare, long rideNonce, long expiry) {

  /** keccak256 of the RideRequest type string. */
  public static final byte[] TYPEHASH = Hash.sha3((
      "RideRequest(address rider,uint64 pickupCell,uint64 dropoffCell,uint256 maxFare,"
          + "uint64 rideNonce,uint64 expiry)").getBytes(StandardCharsets.UTF_8));

  /** The EIP-712 struct hash (also the {@code requestHash} of offers answering it). */
  public byte[] structHash() {
    return Hash.sha3(new AbiWords()
        .bytes32(TYPEHASH)
        .address(rider)
        .uint(new BigInteger(Long.toUnsignedString(pickupCell)))
        .uint(new BigInteger(Long.toUnsignedString(dropoffCell)))
        .uint(maxFare)
        .uint(rideNonce)
        .uint(expiry)
        .toBytes());
  }
}
