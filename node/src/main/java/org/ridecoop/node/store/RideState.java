package org.ridecoop.node.store;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a ride booked on chain stands, as this node follows it. Moves only forward along the
 * allowed transitions ({@link #canMoveTo}); the chain stays the authority on money.
 */
public enum RideState {
  /** Booked on chain; the driver is on the way. */
  BOOKED,
  /** The driver is at the pickup point. */
  ARRIVED,
  /** The rider is on board. */
  PICKED_UP,
  /** The trip ended; the receipt is being co-signed. */
  DROPPED_OFF,
  /** The rider co-signed the receipt; it waits in the settlement queue. */
  RECEIPT_COSIGNED,
  /** The driver submitted an uncosigned receipt; the rider may dispute within the window. */
  RECEIPT_PENDING,
  /** The rider disputed; the committee rules. */
  DISPUTED,
  /** Paid out on chain. Final. */
  SETTLED,
  /** Cancelled by rider or driver, or reclaimed. Final. */
  CANCELLED;

  /** Whether a ride in this state may move to {@code next}. */
  public boolean canMoveTo(RideState next) {
    return next(this).contains(next);
  }

  /** Whether the ride is over (no transition leaves this state). */
  public boolean isFinal() {
    return next(this).isEmpty();
  }

  private static Set<RideState> next(RideState s) {
    return switch (s) {
      case BOOKED -> EnumSet.of(ARRIVED, PICKED_UP, CANCELLED);
      case ARRIVED -> EnumSet.of(PICKED_UP, CANCELLED);
      case PICKED_UP -> EnumSet.of(DROPPED_OFF);
      case DROPPED_OFF -> EnumSet.of(RECEIPT_COSIGNED, RECEIPT_PENDING);
      case RECEIPT_COSIGNED, RECEIPT_PENDING -> EnumSet.of(SETTLED, DISPUTED);
      case DISPUTED -> EnumSet.of(SETTLED);
      case SETTLED, CANCELLED -> EnumSet.noneOf(RideState.class);
    };
  }
}
