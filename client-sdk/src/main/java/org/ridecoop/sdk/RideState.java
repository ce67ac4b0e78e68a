package org.ridecoop.sdk;

import java.util.Locale;

/**
 * Where a ride is, as nodes report it. The states up to {@link #SETTLED} follow each other in
 * this order (a node may skip some, e.g. {@link #ARRIVED}); {@link #CANCELLED}, {@link #DISPUTED}
 * and {@link #EXPIRED} end a ride off that path.
 */
public enum RideState {
  /** The request is being matched. */
  REQUESTED(0),
  /** No local driver could take it; the node asks its peers. */
  ASKING_PEERS(0),
  /** A driver's offer is out or signed. */
  OFFERED(1),
  /** Booked on chain: the maximum fare is in escrow. */
  BOOKED(2),
  /** The driver is at the pickup. */
  ARRIVED(3),
  /** The rider is aboard. */
  PICKED_UP(4),
  /** The driver dropped the rider off; the receipt waits for the rider's co-signature. */
  DROPPED_OFF(5),
  /** The rider co-signed the receipt; it waits for settlement. */
  RECEIPT_COSIGNED(6),
  /** Settled on chain: the driver is paid, the rider refunded the rest of the escrow. */
  SETTLED(7),
  /** Cancelled (before booking at the node, after it on chain). */
  CANCELLED(-1),
  /** Disputed: the escrow is frozen until the dispute committee rules. */
  DISPUTED(-1),
  /** The request expired before it was booked. */
  EXPIRED(-1);

  private final int step;

  RideState(int step) {
    this.step = step;
  }

  /** Whether this state ends the ride. */
  public boolean isFinal() {
    return step < 0 || this == SETTLED;
  }

  /** Whether a ride in this state has reached {@code target} (or gone past it on the normal path). */
  public boolean hasReached(RideState target) {
    return this == target || (step >= 0 && target.step >= 0 && step >= target.step && target != ASKING_PEERS);
  }

  /** The state named as on the wire ({@code picked_up}); null for a name this SDK does not know. */
  public static RideState fromWire(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  /** The wire name. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
