package org.ridecoop.node.store;

import io.vertx.core.Future;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the node keeps about rides before the chain knows them and while they run: open requests,
 * the offers made for them, and rides in progress with their {@link RideState}.
 */
public interface RideStore {

  /**
   * Keeps a newly received request.
   *
   * @return true if it was new, false if a request with the same hash is already open
   */
  Future<Boolean> openRequest(OpenRequest request);

  /** The open request with this 0x hash, if any. */
  Future<Optional<OpenRequest>> request(String requestHash);

  /** All open requests, oldest first. */
  Future<List<OpenRequest>> openRequests();

  /** How many requests are open. */
  Future<Integer> openRequestCount();

  /**
   * Forgets a request and its offers (booked, withdrawn or expired).
   *
   * @return true if it was open
   */
  Future<Boolean> closeRequest(String requestHash);

  /**
   * Forgets every request whose expiry (unix seconds) is before {@code nowSeconds}, with its offers.
   *
   * @return how many were forgotten
   */
  Future<Integer> expireRequests(long nowSeconds);

  /**
   * Keeps an offer for an open request. Fails with {@link StoreException} if the request is not
   * open; keeping the same offer twice is a no-op.
   */
  Future<Void> saveOffer(SignedOffer offer);

  /** The offers made for a request, oldest first. */
  Future<List<SignedOffer>> offersFor(String requestHash);

  /**
   * Starts following a ride booked on chain, in {@link RideState#BOOKED}.
   *
   * @return true if it was new, false if the ride is already followed (a re-delivered event)
   */
  Future<Boolean> startRide(BigInteger rideId, String rider, String driver, BigInteger maxFare, int scheduleVersion);

  /** The ride, if followed. */
  Future<Optional<RideInProgress>> ride(BigInteger rideId);

  /**
   * Moves a ride from {@code from} to {@code to} if it is still in {@code from}. Two callers racing
   * on the same ride cannot both win.
   *
   * @return true if moved; false if the ride is unknown or no longer in {@code from}; a failed
   *     future with {@link IllegalArgumentException} if {@code from} may never move to {@code to}
   */
  Future<Boolean> moveRide(BigInteger rideId, RideState from, RideState to);

  /**
   * Moves a ride to the state the chain reports (settled, cancelled, disputed...), if it is still
   * in {@code from}. The chain is the authority: unlike {@link #moveRide}, any state that is not
   * final may move to any other, whatever the node's own transitions allow.
   *
   * @return true if moved; false if the ride is unknown or no longer in {@code from}; a failed
   *     future with {@link IllegalArgumentException} if {@code from} is final
   */
  Future<Boolean> followChain(BigInteger rideId, RideState from, RideState to);

  /**
   * The driver ends the trip: moves the ride from {@link RideState#PICKED_UP} to
   * {@link RideState#DROPPED_OFF} and keeps the driver's receipt for the rider to co-sign, in one
   * transaction.
   *
   * @return false (nothing written) if the ride is unknown or not picked up
   */
  Future<Boolean> dropOff(org.ridecoop.protocol.TripReceipt draft);

  /** The receipt the driver submitted at drop-off, if any. */
  Future<Optional<org.ridecoop.protocol.TripReceipt>> receiptDraft(BigInteger rideId);

  /** Rides in any of {@code states}, oldest first. */
  Future<List<RideInProgress>> ridesIn(Set<RideState> states);

  /** How many rides are in each state (states with none are left out), counted by the database. */
  Future<java.util.Map<RideState, Integer>> countByState();
}
