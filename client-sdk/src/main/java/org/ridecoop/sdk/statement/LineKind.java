package org.ridecoop.sdk.statement;

import java.util.Locale;

/**
 * What a statement line is. Every amount on a line is non-negative; the kind says which way the
 * money went for the member.
 */
public enum LineKind {
  /** A ride the member drove was settled: gross fare, the co-op's commission, net earned. */
  RIDE_EARNED,
  /** A rider cancelled late a ride the member was to drive: the fee went to the member. */
  CANCELLATION_FEE_EARNED,
  /** The member moved earnings out of the ledger to their own account. */
  EARNINGS_WITHDRAWN,
  /** A ride the member took was settled: the fare they paid (commission shown, included). */
  RIDE_PAID,
  /** The member cancelled a ride late and paid the fee to the driver. */
  CANCELLATION_FEE_PAID,
  /** A patronage dividend the member claimed; the reference names the epoch. */
  DIVIDEND_CLAIMED,
  /** A payment to the member from the solidarity fund; the reference is the vote's reason hash. */
  SOLIDARITY_RECEIVED,
  /** Share capital the member paid on joining. */
  CAPITAL_PAID,
  /** Share capital refunded to the member on leaving or exclusion. */
  CAPITAL_REFUNDED;

  /** The name in JSON and CSV: {@code ride_earned}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind written as {@code wire}. */
  public static LineKind ofWire(String wire) {
    for (LineKind k : values()) {
      if (k.wireName().equals(wire)) return k;
    }
    throw new IllegalArgumentException("unknown line kind: " + wire);
  }
}
