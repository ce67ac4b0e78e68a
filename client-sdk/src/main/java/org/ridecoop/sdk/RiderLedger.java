package org.ridecoop.sdk;

import java.math.BigInteger;
import java.util.Arrays;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.fare.FareParams;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.Permit;
import org.ridecoop.protocol.RideIds;
import org.web3j.crypto.Credentials;

/**
 * What a rider does on chain with its own key: deposit with a permit, withdraw, read its balances
 * and next ride nonce,
 * book a signed offer, cancel or dispute a booked ride, and read a ride's escrow and fare rules.
 * Blocking (RPCs and receipts), as the SDK's API is.
 */
final class RiderLedger {
  /** A ride as the ledger holds it. */
  record LedgerRide(String driver, BigInteger escrow, int version, int status) {
    static final int NONE = 0;
    static final int BOOKED = 1;
    static final int RECEIPT_PENDING = 2;
    static final int DISPUTED = 3;
    static final int SETTLED = 4;
    static final int CANCELLED_BY_RIDER = 5;
    static final int CANCELLED_BY_DRIVER = 6;
    static final int RECLAIMED = 7;
    static final int RESOLVED = 8;

    /** Whether the ride's escrow is still locked (booked, receipt pending or disputed). */
    boolean escrowLocked() {
      return status == BOOKED || status == RECEIPT_PENDING || status == DISPUTED;
    }

    /**
     * The rider's view of the ledger status: a receipt the driver submitted alone waits for the
     * rider like a drop-off; a reclaimed escrow ends the ride as a cancellation; a ruled dispute
     * stays a dispute. Null for {@link #NONE}.
     */
    RideState state() {
      return switch (status) {
        case BOOKED -> RideState.BOOKED;
        case RECEIPT_PENDING -> RideState.DROPPED_OFF;
        case DISPUTED, RESOLVED -> RideState.DISPUTED;
        case SETTLED -> RideState.SETTLED;
        case CANCELLED_BY_RIDER, CANCELLED_BY_DRIVER, RECLAIMED -> RideState.CANCELLED;
        default -> null;
      };
    }
  }

  /** Open rides a rider can have at once (the ledger's ring of ride slots, {@code RIDE_SLOTS}). */
  static final int RIDE_SLOTS = 8;

  private final Credentials key;
  private final RideLedger ledger;
  private final CoopToken token;
  private final FareSchedule schedule;
  private final Eip712Domain ledgerDomain;
  private final Eip712Domain tokenDomain;
  private final String ledgerAddress;

  RiderLedger(ChainAccess chain, DeploymentManifest manifest, Credentials key) {
    this.key = key;
    this.ledgerAddress = manifest.address("RideLedger");
    var tm = chain.transactionManager(key);
    this.ledger = RideLedger.load(ledgerAddress, chain.web3j(), tm, chain.gasProvider());
    this.token = CoopToken.load(manifest.address("CoopToken"), chain.web3j(), tm, chain.gasProvider());
    this.schedule = FareSchedule.load(manifest.address("FareSchedule"), chain.web3j(), chain.readOnly(),
        chain.gasProvider());
    this.ledgerDomain = Eip712Domain.rideLedger(manifest.chainId(), ledgerAddress);
    this.tokenDomain = Permit.tokenDomain(manifest.chainId(), manifest.address("CoopToken"));
  }

  Eip712Domain ledgerDomain() {
    return ledgerDomain;
  }

  long nextRideNonce() {
    return ChainCalls.call("read the next ride nonce",
        () -> ledger.walletOf(key.getAddress()).send().component2().longValueExact());
  }

  BigInteger walletBalance() {
    return ChainCalls.call("read the wallet", () -> ledger.walletOf(key.getAddress()).send().component1());
  }

  /** The rider's CoopToken balance (outside the ledger). */
  BigInteger tokenBalance() {
    return ChainCalls.call("read the token balance", () -> token.balanceOf(key.getAddress()).send());
  }

  /**
   * The escrow locked in the rider's open rides. Open rides are among the last {@link #RIDE_SLOTS}
   * ride nonces (the ledger refuses a booking whose slot is still busy), so those are all read.
   */
  BigInteger lockedEscrow() {
    long next = nextRideNonce();
    BigInteger locked = BigInteger.ZERO;
    for (long n = Math.max(0, next - RIDE_SLOTS); n < next; n++) {
      LedgerRide r = ride(RideIds.of(key.getAddress(), n));
      if (r.escrowLocked()) {
        locked = locked.add(r.escrow());
      }
    }
    return locked;
  }

  /** Moves {@code amount} of the unlocked wallet balance back to the rider's token balance. */
  void withdraw(BigInteger amount) {
    ChainCalls.call("withdraw " + amount, () -> ledger.withdraw(amount).send());
  }

  /** Approves the ledger by an EIP-2612 permit and deposits, in one transaction. */
  void deposit(BigInteger amount) {
    ChainCalls.call("deposit " + amount, () -> {
      BigInteger nonce = token.nonces(key.getAddress()).send();
      long deadline = System.currentTimeMillis() / 1000 + 600;
      Permit permit = new Permit(key.getAddress(), ledgerAddress, amount, nonce, deadline);
      byte[] sig = MessageSigner.sign(tokenDomain, permit.structHash(), key);
      ledger.depositWithPermit(amount, BigInteger.valueOf(deadline), BigInteger.valueOf(sig[64] & 0xff),
          Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64)).send();
      return null;
    });
  }

  void book(Offer offer, byte[] driverSignature) {
    ChainCalls.call("book ride " + offer.rideId(), () -> ledger.book(ContractStructs.offer(offer),
        ContractStructs.signature(driverSignature)).send());
  }

  void cancel(BigInteger rideId) {
    ChainCalls.call("cancel ride " + rideId, () -> ledger.cancelByRider(rideId).send());
  }

  void dispute(BigInteger rideId, byte[] evidenceHash) {
    ChainCalls.call("dispute ride " + rideId, () -> ledger.dispute(rideId, evidenceHash).send());
  }

  LedgerRide ride(BigInteger rideId) {
    return ChainCalls.call("read ride " + rideId, () -> {
      var r = ledger.rideOf(rideId).send();
      return new LedgerRide(r.component2(), r.component3(), r.component5().intValueExact(),
          r.component6().intValueExact());
    });
  }

  FareParams fareParams(int version) {
    return ChainCalls.call("read fare version " + version,
        () -> ContractStructs.fareParams(schedule.params(BigInteger.valueOf(version)).send()));
  }
}
