package org.ridecoop.node.chain;

import java.math.BigInteger;
import java.util.List;

/**
 * One contract event the node follows (RideLedger, Membership, FareSchedule), decoded. Every event
 * says where it is on chain: {@link #block()}, {@link #txHash()} and {@link #logIndex()} (unique
 * per chain, the key events are de-duplicated on). Addresses are 0x lower-case hex as decoded.
 * Money is in token base units (6 decimals).
 */
public sealed interface LedgerEvent {

  /** The block the event is in. */
  long block();

  /** The 0x hash of the transaction that emitted it. */
  String txHash();

  /** Its index among the block's logs. */
  long logIndex();

  /** Where an event is, for de-duplication and logs. */
  default String position() {
    return block() + ":" + txHash() + ":" + logIndex();
  }

  // ------------------------------------------------------------------ RideLedger

  /** A rider booked a driver's offer; {@code rider} comes from the ride id. */
  record RideBooked(BigInteger rideId, String rider, String driver, byte[] requestHash, BigInteger maxFare,
      int version, long block, String txHash, long logIndex) implements LedgerEvent {}

  /** The driver submitted a receipt the rider did not co-sign; it stands after the dispute window. */
  record ReceiptSubmitted(BigInteger rideId, BigInteger fare, long distanceMetres, long durationSeconds,
      byte[] routeHash, long block, String txHash, long logIndex) implements LedgerEvent {}

  /** A ride was paid: fare to the driver (less commission), the rest of the escrow back to the rider. */
  record RideSettled(BigInteger rideId, BigInteger fare, BigInteger commission,
      long block, String txHash, long logIndex) implements LedgerEvent {}

  /** A ride was cancelled by {@code by} (rider or driver side). */
  record RideCancelled(BigInteger rideId, String by, BigInteger feeToDriver, BigInteger refund,
      long block, String txHash, long logIndex) implements LedgerEvent {}

  /** A ride not started in time was refunded to its rider. */
  record RideReclaimed(BigInteger rideId, BigInteger refund, long block, String txHash, long logIndex)
      implements LedgerEvent {}

  /** A rider disputed a receipt. */
  record RideDisputed(BigInteger rideId, String by, byte[] evidenceHash, long block, String txHash, long logIndex)
      implements LedgerEvent {}

  /** The dispute committee ruled on a disputed ride. */
  record DisputeResolved(BigInteger rideId, BigInteger driverFare, BigInteger riderRefund, byte[] rulingHash,
      long block, String txHash, long logIndex) implements LedgerEvent {}

  // ------------------------------------------------------------------ Membership

  /** A node joined the registry; {@code cells} are H3 resolution-7 indexes. */
  record NodeRegistered(String node, String operator, String endpoint, byte[] enode, List<Long> cells,
      long block, String txHash, long logIndex) implements LedgerEvent {}

  /** A node's endpoint, enode or cells changed. */
  record NodeUpdated(String node, String operator, String endpoint, byte[] enode, List<Long> cells,
      long block, String txHash, long logIndex) implements LedgerEvent {}

  /** A node left the registry (its operator or governance removed it). */
  record NodeRemoved(String node, String operator, String removedBy, long block, String txHash, long logIndex)
      implements LedgerEvent {}

  /** An account became a member of a college (0 drivers, 1 riders, 2 supporters). */
  record MemberJoined(String account, int college, BigInteger capital, long block, String txHash, long logIndex)
      implements LedgerEvent {}

  /** A member left (its capital refunded). */
  record MemberLeft(String account, BigInteger refund, long block, String txHash, long logIndex)
      implements LedgerEvent {}

  /** Governance suspended a member. */
  record MemberSuspended(String account, byte[] reasonHash, long block, String txHash, long logIndex)
      implements LedgerEvent {}

  /** Governance excluded a member. */
  record MemberExcluded(String account, byte[] reasonHash, long block, String txHash, long logIndex)
      implements LedgerEvent {}

  /** Governance reinstated a suspended member. */
  record MemberReinstated(String account, byte[] reasonHash, long block, String txHash, long logIndex)
      implements LedgerEvent {}

  // ------------------------------------------------------------------ FareSchedule

  /** A new fare schedule version was published. */
  record FareSchedulePublished(int version, long block, String txHash, long logIndex) implements LedgerEvent {}
}
