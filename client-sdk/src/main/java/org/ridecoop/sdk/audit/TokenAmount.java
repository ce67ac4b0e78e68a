package org.ridecoop.sdk.audit;

import java.math.BigDecimal;
import java.math.BigInteger;

/** CoopToken base units (6 decimals) written for people: {@code 1234.50 EUR}. */
public final class TokenAmount {
  /** Decimals of CoopToken. */
  public static final int DECIMALS = 6;

  private TokenAmount() {}

  /** {@code units} as euros, at least two decimals, never rounded (1 unit = 0.000001 EUR). */
  public static String format(BigInteger units) {
    BigDecimal euros = new BigDecimal(units, DECIMALS).stripTrailingZeros();
    if (euros.scale() < 2) {
      euros = euros.setScale(2);
    }
    return euros.toPlainString() + " EUR";
  }

  /** {@code units} rounded to the cent, for summaries people skim: {@code 685.29 EUR}. */
  public static String cents(BigInteger units) {
    return new BigDecimal(units, DECIMALS).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString() + " EUR";
  }

  /** As {@link #format(BigInteger)}. */
  public static String format(long units) {
    return format(BigInteger.valueOf(units));
  }
}
