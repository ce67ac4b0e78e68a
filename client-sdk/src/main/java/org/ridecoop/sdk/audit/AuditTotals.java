package org.ridecoop.sdk.audit;

import java.math.BigInteger;

/**
 * What the replayed history adds up to, in CoopToken base units: the figures a member reads
 * beside the checks.
 *
 * @param ridesBooked rides booked
 * @param ridesSettled rides settled (co-signed, confirmed, finalised or ruled)
 * @param ridesCancelled rides cancelled by the rider or the driver
 * @param ridesReclaimed rides reclaimed by the rider after the booking timeout
 * @param fares total fares paid
 * @param driverEarnings fares minus commission, plus cancellation fees
 * @param commission commission taken by the co-op
 * @param toReserve commission to the indivisible reserve
 * @param toSolidarity commission to the solidarity fund
 * @param toOperations commission to the operations budget
 * @param toDividends commission to the dividend pools
 * @param dividendsClaimed dividends paid out to members
 * @param members members who ever joined
 * @param fareVersions fare-schedule versions published
 */
public record AuditTotals(
    long ridesBooked,
    long ridesSettled,
    long ridesCancelled,
    long ridesReclaimed,
    BigInteger fares,
    BigInteger driverEarnings,
    BigInteger commission,
    BigInteger toReserve,
    BigInteger toSolidarity,
    BigInteger toOperations,
    BigInteger toDividends,
    BigInteger dividendsClaimed,
    int members,
    int fareVersions) {}
