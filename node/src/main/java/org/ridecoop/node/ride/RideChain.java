package org.ridecoop.node.ride;

import io.vertx.core.Future;
import java.math.BigInteger;
import java.util.function.Consumer;
import org.ridecoop.fare.FareParams;
import org.ridecoop.protocol.Eip712Domain;

/**
 * The few chain facts the ride desk needs: views of the ledger and the fare schedule, and the
 * ledger events that move a ride. Kept small so the node's chain gateway can stand behind it
 * ({@link LedgerRideChain} is the direct Web3j implementation).
 */
public interface RideChain {

  /** The RideLedger's EIP-712 domain (chain id and address): offers and receipts are signed in it. */
  Eip712Domain ledgerDomain();

  /** The fare-schedule version new bookings lock. */
  Future<Integer> currentScheduleVersion();

  /** The parameters of a fare-schedule version. */
  Future<FareParams> fareParams(int version);

  /** The rider's next ride nonce on the ledger. */
  Future<Long> nextRideNonce(String rider);

  /** Whether the address is an active driver on the ledger (a member of the drivers' college). */
  Future<Boolean> isActiveDriver(String driver);

  /** The driver's unwithdrawn earnings, token base units. */
  Future<BigInteger> earnings(String driver);

  /** Calls {@code handler} (on the caller's context) for every ledger event that moves a ride. */
  void onRideEvent(Consumer<RideEvent> handler);

  /** A ledger event about one ride. */
  sealed interface RideEvent {
    /** The ride. */
    BigInteger rideId();
  }

  /** {@code RideBooked}: the rider locked the escrow against a driver's offer. */
  record Booked(BigInteger rideId, String driver, String requestHash, BigInteger maxFare, int version)
      implements RideEvent {}

  /** {@code RideSettled}: the fare was paid out. */
  record Settled(BigInteger rideId, BigInteger fare) implements RideEvent {}

  /** {@code RideCancelled} or {@code RideReclaimed}: the ride ended without a trip. */
  record Cancelled(BigInteger rideId) implements RideEvent {}

  /** {@code RideDisputed}: the escrow is frozen until the committee rules. */
  record Disputed(BigInteger rideId) implements RideEvent {}
}
