package org.ridecoop.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.uber.h3core.H3Core;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.RideIds;
import org.ridecoop.protocol.RideRequest;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * A rider acting with its own key: quotes, deposits into its RideLedger wallet, and ride requests.
 * Obtained from {@link RideCoop#rider}. Methods block the calling thread.
 */
public final class Rider {
  /** H3 resolution of the cells in a signed request (about 5 km²), as nodes expect. */
  static final int REQUEST_CELL_RESOLUTION = 7;

  private final RiderContext context;
  private final Credentials key;
  private final H3Core h3;
  private final Duration requestValidity;

  Rider(RiderContext context, Credentials key, H3Core h3, Duration requestValidity) {
    this.context = context;
    this.key = key;
    this.h3 = h3;
    this.requestValidity = requestValidity;
  }

  /** The rider's address. */
  public String address() {
    return key.getAddress();
  }

  /**
   * A quote from the preferred node for a ride from {@code pickup} to {@code dropoff}.
   *
   * @throws NodeRefusedException if the node refuses the places
   * @throws NoNodeAvailableException if no node answers
   */
  public Quote quote(Place pickup, Place dropoff) {
    ObjectNode body = context.calls().json().createObjectNode();
    body.set("pickup", point(pickup));
    body.set("dropoff", point(dropoff));
    NodeCalls.Answer a = context.calls().send(NodeCalls.Call.post("/v1/quotes", context.calls().encode(body), null));
    var q = a.body();
    return new Quote(q.path("fare").asLong(), q.path("scheduleVersion").asInt(), q.path("distanceMetres").asLong(),
        q.path("distanceSource").asText(), q.path("durationSeconds").asLong(), a.node());
  }

  /**
   * Moves {@code amount} token base units from the rider's CoopToken balance into its RideLedger
   * wallet, approving by an EIP-2612 permit in the same transaction.
   *
   * @throws ChainRefusedException if the chain refuses (e.g. the balance is too low)
   */
  public void deposit(long amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException("a deposit is positive: " + amount);
    }
    context.ledger(key).deposit(BigInteger.valueOf(amount));
  }

  /** The unlocked balance of the rider's RideLedger wallet, token base units. */
  public long walletBalance() {
    return context.ledger(key).walletBalance().longValueExact();
  }

  /**
   * The rider's unlocked wallet balance, the escrow locked in its open rides and its CoopToken
   * balance, read from the chain.
   */
  public RiderBalance balance() {
    RiderLedger ledger = context.ledger(key);
    return new RiderBalance(ledger.walletBalance().longValueExact(), ledger.lockedEscrow().longValueExact(),
        ledger.tokenBalance().longValueExact());
  }

  /**
   * Moves {@code amount} token base units of the unlocked wallet balance back to the rider's own
   * CoopToken balance. Escrowed funds stay locked until their ride ends.
   *
   * @throws IllegalArgumentException if {@code amount} is not positive (nothing is sent)
   * @throws ChainRefusedException if the ledger refuses, e.g. {@code InsufficientBalance} when
   *     {@code amount} is above the unlocked balance
   */
  public void withdraw(long amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException("a withdrawal is positive: " + amount);
    }
    context.ledger(key).withdraw(BigInteger.valueOf(amount));
  }

  /**
   * A ride of this rider requested earlier (by another process, say), by its id: its state and
   * offers from the first node that knows it, which it is then followed at, else its state on the
   * ledger. Such a ride can be followed, co-signed, cancelled and disputed; it cannot be booked
   * (its signed request stays with the process that made it).
   *
   * @throws IllegalArgumentException if the id is not one of this rider's rides
   * @throws UnknownRideException if neither a node nor the ledger knows the ride
   * @throws NoNodeAvailableException if no node answers and the ledger does not know the ride
   */
  public Ride ride(BigInteger rideId) {
    if (!RideIds.rider(rideId).equalsIgnoreCase(key.getAddress())) {
      throw new IllegalArgumentException("ride " + rideId + " is a ride of " + RideIds.rider(rideId)
          + ", not of this rider " + key.getAddress());
    }
    Ride ride = new Ride(context, key, null, null, rideId, null);
    ride.lookUp();
    return ride;
  }

  /**
   * Requests a ride: reads the rider's next ride nonce from the ledger, signs the EIP-712 request
   * (pickup and drop-off as coarse H3 cells, and a fresh random salt so that the request hash on
   * chain does not give the cells away; the exact points and the salt go only to the node) and posts it to
   * the preferred live node. The returned ride follows its status from then on.
   *
   * @param maxFare the most the rider accepts to lock in escrow, token base units
   * @throws NodeRefusedException if the node refuses the request
   * @throws NoNodeAvailableException if no node answers
   */
  public Ride request(Place pickup, Place dropoff, long maxFare) {
    if (maxFare <= 0) {
      throw new IllegalArgumentException("maxFare must be positive: " + maxFare);
    }
    long nonce = context.ledger(key).nextRideNonce();
    long expiry = NodeCalls.nowSeconds() + requestValidity.toSeconds();
    long pickupCell = h3.latLngToCell(pickup.lat(), pickup.lng(), REQUEST_CELL_RESOLUTION);
    long dropoffCell = h3.latLngToCell(dropoff.lat(), dropoff.lng(), REQUEST_CELL_RESOLUTION);
    RideRequest request = new RideRequest(key.getAddress(), pickupCell, dropoffCell, BigInteger.valueOf(maxFare),
        nonce, expiry, RideRequest.newSalt());
    byte[] signature = MessageSigner.sign(context.ledger(key).ledgerDomain(), request.structHash(), key);
    byte[] body = context.calls().encode(requestBody(request, signature, pickup, dropoff));
    Ride ride = new Ride(context, key, request, body, RideIds.of(key.getAddress(), nonce), null);
    URI at = RideNodes.post(context.calls(), body, ride.id());
    ride.followFrom(at);
    return ride;
  }

  /** The JSON body of {@code POST /v1/rides}. */
  ObjectNode requestBody(RideRequest request, byte[] signature, Place pickup, Place dropoff) {
    ObjectNode body = context.calls().json().createObjectNode();
    body.putObject("request")
        .put("rider", request.rider())
        .put("pickupCell", Long.toHexString(request.pickupCell()))
        .put("dropoffCell", Long.toHexString(request.dropoffCell()))
        .put("maxFare", request.maxFare().longValueExact())
        .put("rideNonce", request.rideNonce())
        .put("expiry", request.expiry())
        .put("salt", Numeric.toHexString(request.salt()));
    body.put("signature", Numeric.toHexString(signature));
    body.set("pickup", point(pickup));
    body.set("dropoff", point(dropoff));
    return body;
  }

  private ObjectNode point(Place p) {
    return context.calls().json().createObjectNode().put("lat", p.lat()).put("lng", p.lng());
  }
}
