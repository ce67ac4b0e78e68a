package org.ridecoop.protocol;

import java.math.BigInteger;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.fare.FareParams;

/** Converts the protocol's records to and from the structs of the generated wrappers. */
public final class ContractStructs {
  private ContractStructs() {}

  /** An offer as {@code RideLedger.book} takes it (the rider is the caller, so it is left out). */
  public static RideLedger.Offer offer(Offer o) {
    return new RideLedger.Offer(o.requestHash(), o.driver(), o.maxFare(),
        BigInteger.valueOf(o.rideNonce()), BigInteger.valueOf(o.etaSeconds()),
        BigInteger.valueOf(o.scheduleVersion()), BigInteger.valueOf(o.expiry()));
  }

  /**
   * A 65-byte r ‖ s ‖ v signature in the EIP-2098 compact form the RideLedger takes: r, and s
   * with the y-parity (v - 27) in its top bit.
   */
  public static RideLedger.CompactSignature signature(byte[] rsv) {
    if (rsv.length != 65 || (rsv[64] != 27 && rsv[64] != 28)) {
      throw new IllegalArgumentException("expected a 65-byte signature with v 27 or 28");
    }
    byte[] r = java.util.Arrays.copyOfRange(rsv, 0, 32);
    byte[] vs = java.util.Arrays.copyOfRange(rsv, 32, 64);
    if (rsv[64] == 28) {
      vs[0] |= (byte) 0x80;
    }
    return new RideLedger.CompactSignature(r, vs);
  }

  /** Many signatures in compact form, for {@code settleBatch}. */
  public static java.util.List<RideLedger.CompactSignature> signatures(java.util.List<byte[]> rsv) {
    return rsv.stream().map(ContractStructs::signature).toList();
  }

  /**
   * A receipt packed as {@code RideLedger.settle}, {@code settleBatch} and {@code submitReceipt}
   * take it: {@code rideId << 64 | distance << 32 | duration}, {@code pickupAt << 64 | dropoffAt},
   * route hash (same packing as {@code RideLedger.packReceipt}).
   */
  public static RideLedger.PackedReceipt receipt(TripReceipt r) {
    BigInteger ride = r.rideId().shiftLeft(64)
        .or(BigInteger.valueOf(r.distanceMetres()).shiftLeft(32))
        .or(BigInteger.valueOf(r.durationSeconds()));
    BigInteger times = BigInteger.valueOf(r.pickupAt()).shiftLeft(64).or(BigInteger.valueOf(r.dropoffAt()));
    return new RideLedger.PackedReceipt(ride, times, r.routeHash());
  }

  /** A receipt as the views {@code receiptDigest} and {@code packReceipt} take it. */
  public static RideLedger.TripReceipt receiptFields(TripReceipt r) {
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
