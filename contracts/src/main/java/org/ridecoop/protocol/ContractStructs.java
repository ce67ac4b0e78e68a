package org.ridecoop.protocol;

import java.math.BigInteger;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.fare.FareParams;

/** Converts the protocol's records to and from the structs of the generated wrappers. */
public final class ContractStructs {
  private ContractStructs() {}

  /** An offer as {@code RideLedger.book} takes it. */
  public static RideLedger.Offer offer(Offer o) {
    return new RideLedger.Offer(o.requestHash(), o.rider(), o.driver(), o.maxFare(),
        BigInteger.valueOf(o.rideNonce()), BigInteger.valueOf(o.etaSeconds()),
        BigInteger.valueOf(o.scheduleVersion()), BigInteger.valueOf(o.expiry()));
  }

  /** A receipt as {@code RideLedger.settle}/{@code settleBatch} take it. */
  public static RideLedger.TripReceipt receipt(TripReceipt r) {
    return new RideLedger.TripReceipt(r.rideId(), BigInteger.valueOf(r.distanceMetres()),
        BigInteger.valueOf(r.durationSeconds()), BigInteger.valueOf(r.pickupAt()),
        BigInteger.valueOf(r.dropoffAt()), r.routeHash());
  }

  /** Fare parameters as {@code FareSchedule.publish} takes them. */
  public static FareSchedule.Params fareParams(FareParams p) {
    return new FareSchedule.Params(
        BigInteger.valueOf(p.baseFare()), BigInteger.valueOf(p.perKm()),
        BigInteger.valueOf(p.perMinute()), BigInteger.valueOf(p.minimumFare()),
        BigInteger.valueOf(p.bookingFee()), BigInteger.valueOf(p.cancellationFee()),
        BigInteger.valueOf(p.cancellationGraceSeconds()), BigInteger.valueOf(p.commissionBps()),
        BigInteger.valueOf(p.reserveBps()), BigInteger.valueOf(p.solidarityBps()),
        BigInteger.valueOf(p.operationsBps()), BigInteger.valueOf(p.dividendBps()),
        BigInteger.valueOf(p.riderPatronageBps()));
  }

  /** Fare parameters as {@code FareSchedule.params} returns them. */
  public static FareParams fareParams(FareSchedule.Params p) {
    return new FareParams(
        p.baseFare.longValueExact(), p.perKm.longValueExact(), p.perMinute.longValueExact(),
        p.minimumFare.longValueExact(), p.bookingFee.longValueExact(),
        p.cancellationFee.longValueExact(), p.cancellationGrace.longValueExact(),
        p.commissionBps.intValueExact(), p.reserveBps.intValueExact(),
        p.solidarityBps.intValueExact(), p.operationsBps.intValueExact(),
        p.dividendBps.intValueExact(), p.riderPatronageBps.intValueExact());
  }
}
