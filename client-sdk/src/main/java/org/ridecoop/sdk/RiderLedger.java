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
import org.web3j.crypto.Credentials;

/**
 * What a rider does on chain with its own key: deposit with a permit, read its next ride nonce,
 * book a signed offer, cancel or dispute a booked ride, and read a ride's escrow and fare rules.
 * Blocking (RPCs and receipts), as the SDK's API is.
 */
final class RiderLedger {
  /** A ride as the ledger holds it. */
  record LedgerRide(String driver, BigInteger escrow, int version, int status) {
    static final int NONE = 0;
    static final int BOOKED = 1;
  }

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
    return chain("read the next ride nonce",
        () -> ledger.walletOf(key.getAddress()).send().component2().longValueExact());
  }

  BigInteger walletBalance() {
    return chain("read the wallet", () -> ledger.walletOf(key.getAddress()).send().component1());
  }

  /** Approves the ledger by an EIP-2612 permit and deposits, in one transaction. */
  void deposit(BigInteger amount) {
    chain("deposit " + amount, () -> {
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
    chain("book ride " + offer.rideId(), () -> ledger.book(ContractStructs.offer(offer),
        ContractStructs.signature(driverSignature)).send());
  }

  void cancel(BigInteger rideId) {
    chain("cancel ride " + rideId, () -> ledger.cancelByRider(rideId).send());
  }

  void dispute(BigInteger rideId, byte[] evidenceHash) {
    chain("dispute ride " + rideId, () -> ledger.dispute(rideId, evidenceHash).send());
  }

  LedgerRide ride(BigInteger rideId) {
    return chain("read ride " + rideId, () -> {
      var r = ledger.rideOf(rideId).send();
      return new LedgerRide(r.component2(), r.component3(), r.component5().intValueExact(),
          r.component6().intValueExact());
    });
  }

  FareParams fareParams(int version) {
    return chain("read fare version " + version,
        () -> ContractStructs.fareParams(schedule.params(BigInteger.valueOf(version)).send()));
  }

  @FunctionalInterface
  private interface ChainWork<T> {
    T run() throws Exception;
  }

  private static <T> T chain(String what, ChainWork<T> work) {
    try {
      return work.run();
    } catch (RuntimeException e) {
      throw new RideCoopException("the chain refused to " + what + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new RideCoopException("could not " + what + " on chain: " + e.getMessage(), e);
    }
  }
}
