package org.ridecoop.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.web3j.crypto.Hash;

/**
 * A rider's signed request for a ride. It travels only between the rider, the matching node and
 * the drivers offered the ride; its hash goes into each {@link Offer}. Cells are H3 resolution-7
 * ids (about 5 km²), coarse enough not to reveal an address.
 *
 * <p>Its struct hash is public (the {@code requestHash} of every offer, emitted in {@code
 * RideBooked}), and every other field but the cells can be read or guessed from the chain (the
 * rider, maxFare, the nonce; the expiry within minutes). Without the {@code salt} an outsider
 * recovers the pickup and drop-off cells by hashing every pair of cells of a city: a few million
 * hashes. The salt, 32 random bytes chosen per request by the rider's SDK ({@link #newSalt()}) and
 * kept off chain like the exact pickup, makes that search hopeless.
 *
 * @param rider the rider's address
 * @param pickupCell H3 cell of the pickup
 * @param dropoffCell H3 cell of the drop-off
 * @param maxFare the most the rider accepts to lock, token base units
 * @param rideNonce the rider's next ride nonce on the ledger
 * @param expiry unix seconds after which nodes must ignore it
 * @param salt 32 random bytes, never on chain, that hide the cells behind the request hash
 */
public record RideRequest(
    String rider, long pickupCell, long dropoffCell, BigInteger maxFare, long rideNonce, long expiry, byte[] salt) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** keccak256 of the RideRequest type string. */
  public static final byte[] TYPEHASH = Hash.sha3((
      "RideRequest(address rider,uint64 pickupCell,uint64 dropoffCell,uint256 maxFare,"
          + "uint64 rideNonce,uint64 expiry,bytes32 salt)").getBytes(StandardCharsets.UTF_8));

  /** @throws IllegalArgumentException if {@code salt} is not 32 bytes */
  public RideRequest {
    if (salt == null || salt.length != 32) {
      throw new IllegalArgumentException("a ride request's salt must be 32 bytes, got "
          + (salt == null ? "none" : salt.length));
    }
    salt = salt.clone();
  }

  /** Fresh salt for a new request: 32 bytes from a {@link SecureRandom}. */
  public static byte[] newSalt() {
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    return salt;
  }

  /** The salt (a copy). */
  @Override
  public byte[] salt() {
    return salt.clone();
  }

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
        .bytes32(salt)
        .toBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RideRequest r && rider.equalsIgnoreCase(r.rider) && pickupCell == r.pickupCell
        && dropoffCell == r.dropoffCell && maxFare.equals(r.maxFare) && rideNonce == r.rideNonce
        && expiry == r.expiry && Arrays.equals(salt, r.salt);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(salt) * 31 + Long.hashCode(rideNonce);
  }

  /** Leaves the salt out: it must not reach a log. */
  @Override
  public String toString() {
    return "RideRequest[rider=" + rider + ", pickupCell=" + Long.toHexString(pickupCell) + ", dropoffCell="
        + Long.toHexString(dropoffCell) + ", maxFare=" + maxFare + ", rideNonce=" + rideNonce + ", expiry=" + expiry + "]";
  }
}
