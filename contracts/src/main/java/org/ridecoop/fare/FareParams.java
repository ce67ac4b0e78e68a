package org.ridecoop.fare;

/**
 * One version of the fare rules, as voted by the members and stored in {@code FareSchedule}.
 * Amounts are CoopToken base units (6 decimals: 1_000_000 = 1 EUR); shares are basis points.
 *
 * @param baseFare charged on every completed ride
 * @param perKm charged per 1,000 metres
 * @param perMinute charged per 60 seconds
 * @param minimumFare floor of base + distance + time (booking fee excluded)
 * @param bookingFee added to every completed ride
 * @param cancellationFee paid to the driver when the rider cancels after the grace period
 * @param cancellationGraceSeconds free-cancellation period after booking
 * @param commissionBps the co-op's share of a fare
 * @param reserveBps share of the commission to the indivisible reserve (at least 5,750)
 * @param solidarityBps share of the commission to the solidarity fund
 * @param operationsBps share of the commission to the operations budget
 * @param dividendBps share of the commission to the epoch's dividend pool
 * @param riderPatronageBps patronage points a rider member earns per unit of fare paid
 */
public record FareParams(
    long baseFare,
    long perKm,
    long perMinute,
    long minimumFare,
    long bookingFee,
    long cancellationFee,
    long cancellationGraceSeconds,
    int commissionBps,
    int reserveBps,
    int solidarityBps,
    int operationsBps,
    int dividendBps,
    int riderPatronageBps) {

  /** The parameters the demo network and the tests start from (a Paris-like tariff). */
  public static FareParams standard() {
    return new FareParams(
        1_500_000, // 1.50 EUR base
        1_050_000, // 1.05 EUR per km
        350_000, // 0.35 EUR per minute
        7_000_000, // 7.00 EUR minimum
        500_000, // 0.50 EUR booking fee
        5_000_000, // 5.00 EUR cancellation fee
        120, // 2 minutes free cancellation
        1_200, // 12 % commission (commercial platforms take 25-30 %)
        6_000, // 60 % of the commission to the indivisible reserve
        1_500, // 15 % to the solidarity fund
        1_500, // 15 % to operations
        1_000, // 10 % to patronage dividends
        5_000); // rider members earn 0.5 point per unit of fare paid
  }
}
