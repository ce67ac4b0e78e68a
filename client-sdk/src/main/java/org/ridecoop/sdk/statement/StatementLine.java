package org.ridecoop.sdk.statement;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One money line of a statement, read from one chain event.
 *
 * @param kind what happened
 * @param block the block of the event
 * @param tx the transaction hash (0x, lower case)
 * @param logIndex the event's index in its block
 * @param reference the ride id (0x), the epoch ({@code epoch 3}) or the reason hash it concerns; empty if none
 * @param gross the full amount, token base units
 * @param commission the co-op's commission included in {@code gross} (rides only, else 0)
 * @param net {@code gross − commission} for fares earned, else {@code gross}
 */
public record StatementLine(LineKind kind, long block, String tx, long logIndex, String reference,
    BigInteger gross, BigInteger commission, BigInteger net) {

  public StatementLine {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(reference, "reference");
    if (gross.signum() < 0 || commission.signum() < 0 || net.signum() < 0) {
      throw new IllegalArgumentException("statement amounts are never negative: " + gross + "/" + commission + "/" + net);
    }
  }

  /** A line without commission: gross = net = {@code amount}. */
  static StatementLine plain(LineKind kind, long block, String tx, long logIndex, String reference, BigInteger amount) {
    return new StatementLine(kind, block, tx, logIndex, reference, amount, BigInteger.ZERO, amount);
  }

  /** How a reader finds the line: {@code ride_earned 0x… in tx 0x…}. */
  public String describe() {
    return kind.wireName() + (reference.isEmpty() ? "" : " " + reference) + " (block " + block + ", tx " + tx + ")";
  }
}
