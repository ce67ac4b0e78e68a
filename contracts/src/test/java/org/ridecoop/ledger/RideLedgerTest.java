package org.ridecoop.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ridecoop.test.Reverts.assertRevert;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.Fare;
import org.ridecoop.fare.FareParams;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/** RideLedger on Anvil: every external function's happy path and each of its reverts. */
@ExtendWith(AnvilExtension.class)
class RideLedgerTest {
  static CoopFixture f;
  static Credentials driver;
  static Credentials operator;
  static Credentials rider;
  static Credentials other;
  static final long MAX_FARE = 40_000_000L;

  final Set<BigInteger> rides = new HashSet<>();

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    driver = f.driver(0);
    operator = f.driver(1);
    rider = f.rider(0);
    other = f.rider(1);
    f.join(driver, 0);
    f.ledger(driver).setOperator(operator.getAddress(), true).send();
  }

  @AfterEach
  void moneyInvariant() throws Exception {
    f.assertMoneyInvariant(f.devAddresses(), rides);
  }

  RideLedger ledger(Credentials as) {
    return f.ledger(as);
  }

  BigInteger book(long deposit) throws Exception {
    f.deposit(rider, deposit);
    BigInteger id = f.book(rider, driver, MAX_FARE);
    rides.add(id);
    return id;
  }

  long balance(Credentials who) throws Exception {
    return ledger(who).walletOf(who.getAddress()).send().component1().longValueExact();
  }

  long earnings(Credentials who) throws Exception {
    return ledger(who).driverOf(who.getAddress()).send().component1().longValueExact();
  }

  int status(BigInteger rideId) throws Exception {
    return ledger(rider).rideOf(rideId).send().component6().intValue();
  }

  // ------------------------------------------------------------------ wallets

  @Test
  void depositAndWithdraw() throws Exception {
    f.deposit(rider, 50_000_000L);
    assertThat(balance(rider)).isEqualTo(50_000_000L);
    ledger(rider).withdraw(BigInteger.valueOf(20_000_000L)).send();
    assertThat(balance(rider)).isEqualTo(30_000_000L);
    assertThat(f.token(rider).balanceOf(rider.getAddress()).send()).isEqualTo(BigInteger.valueOf(20_000_000L));
  }

  @Test
  void depositAndWithdrawReverts() throws Exception {
    assertRevert(() -> ledger(rider).deposit(BigInteger.ZERO).send(), "ZeroAmount");
    assertRevert(() -> ledger(rider).withdraw(BigInteger.ZERO).send(), "ZeroAmount");
    assertRevert(() -> ledger(rider).withdraw(BigInteger.ONE).send(), "InsufficientBalance");
    assertRevert(() -> ledger(rider).withdrawEarnings(BigInteger.ZERO).send(), "ZeroAmount");
    assertRevert(() -> ledger(rider).withdrawEarnings(BigInteger.ONE).send(), "InsufficientBalance");
    assertRevert(() -> ledger(rider).deposit(BigInteger.TEN).send(), "ERC20InsufficientAllowance");
  }

  @Test
  void escrowedFundsCannotBeWithdrawn() throws Exception {
    book(50_000_000L);
    assertThat(balance(rider)).isEqualTo(10_000_000L);
    assertRevert(() -> ledger(rider).withdraw(BigInteger.valueOf(10_000_001L)).send(), "InsufficientBalance");
  }

  // ------------------------------------------------------------------ booking

  @Test
  void bookLocksTheQuotedMaximum() throws Exception {
    BigInteger id = book(50_000_000L);
    var ride = ledger(rider).rideOf(id).send();
    assertThat(ride.component2()).isEqualToIgnoringCase(driver.getAddress());
    assertThat(ride.component3()).isEqualTo(BigInteger.valueOf(MAX_FARE));
    assertThat(ride.component5()).isEqualTo(BigInteger.ONE);
    assertThat(status(id)).isEqualTo(1);
    assertThat(f.nextRideNonce(rider)).isEqualTo(1);
  }

  @Test
  void bookReverts() throws Exception {
    f.deposit(rider, 50_000_000L);
    Offer good = f.offer(rider, driver, MAX_FARE);
    byte[] sig = f.sign(good, driver);

    assertRevert(() -> ledger(other).book(ContractStructs.offer(good), sig).send(), "OfferNotForCaller");
    Offer expired = copy(good, good.maxFare(), good.rideNonce(), good.scheduleVersion(), f.now() - 1, good.driver());
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(expired), f.sign(expired, driver)).send(), "OfferExpired");
    Offer wrongVersion = copy(good, good.maxFare(), good.rideNonce(), 2, good.expiry(), good.driver());
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(wrongVersion), f.sign(wrongVersion, driver)).send(), "WrongScheduleVersion");
    Offer zero = copy(good, BigInteger.ZERO, good.rideNonce(), good.scheduleVersion(), good.expiry(), good.driver());
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(zero), f.sign(zero, driver)).send(), "ZeroAmount");
    Offer huge = copy(good, BigInteger.ONE.shiftLeft(32), good.rideNonce(), good.scheduleVersion(), good.expiry(), good.driver());
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(huge), f.sign(huge, driver)).send(), "AmountTooLarge");
    Offer wrongNonce = copy(good, good.maxFare(), 5, good.scheduleVersion(), good.expiry(), good.driver());
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(wrongNonce), f.sign(wrongNonce, driver)).send(), "WrongRideNonce");
    Offer tooMuch = copy(good, BigInteger.valueOf(60_000_000L), good.rideNonce(), good.scheduleVersion(), good.expiry(), good.driver());
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(tooMuch), f.sign(tooMuch, driver)).send(), "InsufficientBalance");
    Credentials notADriver = f.driver(2);
    Offer inactive = copy(good, good.maxFare(), good.rideNonce(), good.scheduleVersion(), good.expiry(), notADriver.getAddress());
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(inactive), f.sign(inactive, notADriver)).send(), "DriverNotActive");
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(good), f.sign(good, notADriver)).send(), "InvalidSignature");
    byte[] garbage = new byte[65];
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(good), garbage).send(), "InvalidSignature");

    ledger(rider).book(ContractStructs.offer(good), sig).send();
    rides.add(good.rideId());
    // The same signed offer cannot be booked twice: its nonce is used.
    assertRevert(() -> ledger(rider).book(ContractStructs.offer(good), sig).send(), "WrongRideNonce");
  }

  @Test
  void aRiderHasAtMostEightOpenRides() throws Exception {
    f.deposit(rider, 9 * MAX_FARE);
    for (int i = 0; i < 8; i++) {
      rides.add(f.book(rider, driver, MAX_FARE));
    }
    Offer ninth = f.offer(rider, driver, MAX_FARE);
    var error = assertRevert(() -> ledger(rider).book(ContractStructs.offer(ninth), f.sign(ninth, driver)).send(), "RideSlotBusy");
    assertThat(error.args().get(1)).isEqualTo(rides.stream().min(BigInteger::compareTo).orElseThrow());
    // Once the first ride is settled its slot is free again.
    BigInteger first = rides.stream().min(BigInteger::compareTo).orElseThrow();
    TripReceipt r = f.receipt(first, 1_000, 300);
    ledger(driver).settle(ContractStructs.receipt(r), f.cosign(r, rider)).send();
    Offer again = f.offer(rider, driver, MAX_FARE);
    ledger(rider).book(ContractStructs.offer(again), f.sign(again, driver)).send();
    rides.add(again.rideId());
    assertThat(status(again.rideId())).isEqualTo(1);
    assertThat(status(first)).as("the settled ride's id no longer names the reused slot").isEqualTo(0);
  }

  // ------------------------------------------------------------------ settlement

  @Test
  void settleSplitsTheFareBetweenDriverRiderAndCoop() throws Exception {
    BigInteger id = book(50_000_000L);
    TripReceipt r = f.receipt(id, 5_200, 900);
    ledger(driver).settle(ContractStructs.receipt(r), f.cosign(r, rider)).send();

    FareParams p = f.fareParams(1);
    long fare = Fare.of(p, 5_200, 900);
    long commission = Fare.commission(p, fare);
    assertThat(status(id)).isEqualTo(4);
    assertThat(balance(rider)).isEqualTo(50_000_000L - fare);
    assertThat(earnings(driver)).isEqualTo(fare - commission);
    var funds = f.treasury(rider).funds().send();
    assertThat(funds.component1().add(funds.component2()).add(funds.component3()).add(funds.component4()))
        .isEqualTo(BigInteger.valueOf(commission));
    assertThat(ledger(rider).pointsOf(driver.getAddress(), BigInteger.ONE).send()).isEqualTo(BigInteger.valueOf(fare));
  }

  @Test
  void theQuotedMaximumCapsTheFare() throws Exception {
    BigInteger id = book(50_000_000L);
    TripReceipt r = f.receipt(id, 200_000, 9_000); // far more than the quote covers
    ledger(operator).settle(ContractStructs.receipt(r), f.cosign(r, rider)).send();
    assertThat(balance(rider)).isEqualTo(10_000_000L);
  }

  @Test
  void settleReverts() throws Exception {
    BigInteger id = book(50_000_000L);
    TripReceipt r = f.receipt(id, 5_200, 900);
    byte[] sig = f.cosign(r, rider);
    assertRevert(() -> ledger(other).settle(ContractStructs.receipt(r), sig).send(), "NotDriver");
    assertRevert(() -> ledger(driver).settle(ContractStructs.receipt(r), f.cosign(r, other)).send(), "InvalidSignature");
    TripReceipt early = new TripReceipt(id, 5_200, 900, r.pickupAt() - 3_600, r.dropoffAt(), r.routeHash());
    assertRevert(() -> ledger(driver).settle(ContractStructs.receipt(early), f.cosign(early, rider)).send(), "ReceiptTimesInvalid");
    TripReceipt future = new TripReceipt(id, 5_200, 900, r.pickupAt(), r.dropoffAt() + 3_600, r.routeHash());
    assertRevert(() -> ledger(driver).settle(ContractStructs.receipt(future), f.cosign(future, rider)).send(), "ReceiptTimesInvalid");
    TripReceipt unknown = new TripReceipt(id.add(BigInteger.ONE), 5_200, 900, r.pickupAt(), r.dropoffAt(), r.routeHash());
    assertRevert(() -> ledger(driver).settle(ContractStructs.receipt(unknown), f.cosign(unknown, rider)).send(), "UnknownRide");
    ledger(driver).settle(ContractStructs.receipt(r), sig).send();
    assertRevert(() -> ledger(driver).settle(ContractStructs.receipt(r), sig).send(), "WrongRideStatus");
    assertRevert(() -> ledger(driver).settleBatch(List.of(ContractStructs.receipt(r)), List.of()).send(), "LengthMismatch");
  }

  @Test
  void settleBatchSettlesManyRidesOnce() throws Exception {
    List<TripReceipt> receipts = new ArrayList<>();
    List<byte[]> sigs = new ArrayList<>();
    long fares = 0;
    FareParams p = f.fareParams(1);
    for (int i = 0; i < 5; i++) {
      Credentials r = f.rider(i);
      f.deposit(r, MAX_FARE);
      BigInteger id = f.book(r, driver, MAX_FARE);
      rides.add(id);
      TripReceipt t = f.receipt(id, 1_000L * (i + 1), 300);
      receipts.add(t);
      sigs.add(f.cosign(t, r));
      fares += Fare.of(p, 1_000L * (i + 1), 300);
    }
    ledger(operator).settleBatch(receipts.stream().map(ContractStructs::receipt).toList(), sigs).send();
    long commission = 0;
    for (int i = 0; i < 5; i++) {
      commission += Fare.commission(p, Fare.of(p, 1_000L * (i + 1), 300));
      assertThat(status(receipts.get(i).rideId())).isEqualTo(4);
    }
    assertThat(earnings(driver)).isEqualTo(fares - commission);
    // One bad receipt fails the whole batch: nothing half-written.
    BigInteger id = book(MAX_FARE);
    TripReceipt ok = f.receipt(id, 1_000, 60);
    assertRevert(() -> ledger(driver).settleBatch(List.of(ContractStructs.receipt(ok), ContractStructs.receipt(receipts.get(0))),
        List.of(f.cosign(ok, rider), sigs.get(0))).send(), "WrongRideStatus");
    assertThat(status(id)).isEqualTo(1);
  }

  // ------------------------------------------------------------------ uncosigned receipts

  @Test
  void aReceiptTheRiderDoesNotCosignStandsAfterTheWindow() throws Exception {
    BigInteger id = book(50_000_000L);
    TripReceipt r = f.receipt(id, 5_200, 900);
    ledger(driver).submitReceipt(ContractStructs.receipt(r)).send();
    long fare = Fare.of(f.fareParams(1), 5_200, 900);
    assertThat(status(id)).isEqualTo(2);
    assertThat(balance(rider)).as("rest of the escrow returned at once").isEqualTo(50_000_000L - fare);
    assertRevert(() -> ledger(other).finalizeReceipts(List.of(id)).send(), "TooEarly");
    f.chain.increaseTime(f.config.disputeWindowSeconds());
    ledger(other).finalizeReceipts(List.of(id)).send();
    assertThat(status(id)).isEqualTo(4);
    assertThat(earnings(driver)).isEqualTo(fare - Fare.commission(f.fareParams(1), fare));
    assertRevert(() -> ledger(other).finalizeReceipts(List.of(id)).send(), "WrongRideStatus");
  }

  @Test
  void theRiderMayConfirmAPendingReceipt() throws Exception {
    BigInteger id = book(50_000_000L);
    TripReceipt r = f.receipt(id, 5_200, 900);
    assertRevert(() -> ledger(other).submitReceipt(ContractStructs.receipt(r)).send(), "NotDriver");
    ledger(operator).submitReceipt(ContractStructs.receipt(r)).send();
    assertRevert(() -> ledger(driver).submitReceipt(ContractStructs.receipt(r)).send(), "WrongRideStatus");
    assertRevert(() -> ledger(other).confirmReceipt(id).send(), "NotRider");
    ledger(rider).confirmReceipt(id).send();
    assertThat(status(id)).isEqualTo(4);
    assertRevert(() -> ledger(rider).confirmReceipt(id).send(), "WrongRideStatus");
  }

  // ------------------------------------------------------------------ cancellations and timeouts

  @Test
  void riderCancelsFreeWithinGraceThenPaysTheFee() throws Exception {
    BigInteger free = book(100_000_000L);
    ledger(rider).cancelByRider(free).send();
    assertThat(balance(rider)).isEqualTo(100_000_000L);
    assertThat(status(free)).isEqualTo(5);

    BigInteger late = f.book(rider, driver, MAX_FARE);
    rides.add(late);
    f.chain.increaseTime(f.fareParams(1).cancellationGraceSeconds() + 1);
    ledger(rider).cancelByRider(late).send();
    long fee = f.fareParams(1).cancellationFee();
    assertThat(balance(rider)).isEqualTo(100_000_000L - fee);
    assertThat(earnings(driver)).isEqualTo(fee);
    assertRevert(() -> ledger(rider).cancelByRider(late).send(), "WrongRideStatus");
    BigInteger third = f.book(rider, driver, MAX_FARE);
    rides.add(third);
    assertRevert(() -> ledger(other).cancelByRider(third).send(), "NotRider");
  }

  @Test
  void driverCancelsWithAFullRefundCountedAgainstIt() throws Exception {
    BigInteger id = book(50_000_000L);
    assertRevert(() -> ledger(other).cancelByDriver(id).send(), "NotDriver");
    ledger(operator).cancelByDriver(id).send();
    assertThat(balance(rider)).isEqualTo(50_000_000L);
    assertThat(ledger(rider).driverOf(driver.getAddress()).send().component2()).isEqualTo(BigInteger.ONE);
    assertRevert(() -> ledger(driver).cancelByDriver(id).send(), "WrongRideStatus");
  }

  @Test
  void anUnstartedRideIsReclaimedAfterTheTimeout() throws Exception {
    BigInteger id = book(50_000_000L);
    assertRevert(() -> ledger(rider).reclaim(id).send(), "TooEarly");
    assertRevert(() -> ledger(other).reclaim(id).send(), "NotRider");
    f.chain.increaseTime(f.config.bookingTimeoutSeconds());
    ledger(rider).reclaim(id).send();
    assertThat(balance(rider)).isEqualTo(50_000_000L);
    assertThat(status(id)).isEqualTo(7);
    assertRevert(() -> ledger(rider).reclaim(id).send(), "WrongRideStatus");
  }

  // ------------------------------------------------------------------ disputes

  @Test
  void aDisputeFreezesTheEscrowUntilTheCommitteeRules() throws Exception {
    BigInteger id = book(50_000_000L);
    TripReceipt r = f.receipt(id, 5_200, 900);
    ledger(driver).submitReceipt(ContractStructs.receipt(r)).send();
    long fare = Fare.of(f.fareParams(1), 5_200, 900);
    ledger(rider).dispute(id, new byte[32]).send();
    assertThat(status(id)).isEqualTo(3);
    assertRevert(() -> ledger(other).finalizeReceipts(List.of(id)).send(), "WrongRideStatus");
    assertRevert(() -> ledger(rider).resolveDispute(id, BigInteger.ONE, new byte[32]).send(), "NotDisputeCommittee");
    assertRevert(() -> ledger(f.committee).resolveDispute(id, BigInteger.valueOf(fare + 1), new byte[32]).send(), "RulingTooLarge");
    long driverFare = fare / 2;
    ledger(f.committee).resolveDispute(id, BigInteger.valueOf(driverFare), new byte[32]).send();
    assertThat(status(id)).isEqualTo(8);
    assertThat(balance(rider)).isEqualTo(50_000_000L - driverFare);
    assertThat(earnings(driver)).isEqualTo(driverFare - Fare.commission(f.fareParams(1), driverFare));
    assertRevert(() -> ledger(f.committee).resolveDispute(id, BigInteger.ONE, new byte[32]).send(), "WrongRideStatus");
  }

  @Test
  void disputeReverts() throws Exception {
    BigInteger id = book(50_000_000L);
    assertRevert(() -> ledger(other).dispute(id, new byte[32]).send(), "NotDriver");
    TripReceipt r = f.receipt(id, 5_200, 900);
    ledger(driver).submitReceipt(ContractStructs.receipt(r)).send();
    assertRevert(() -> ledger(driver).dispute(id, new byte[32]).send(), "WrongRideStatus");
    f.chain.increaseTime(f.config.disputeWindowSeconds());
    assertRevert(() -> ledger(rider).dispute(id, new byte[32]).send(), "DisputeWindowClosed");
    f.deposit(rider, MAX_FARE);
    BigInteger booked = f.book(rider, driver, MAX_FARE);
    rides.add(booked);
    ledger(operator).dispute(booked, new byte[32]).send();
    assertRevert(() -> ledger(rider).dispute(booked, new byte[32]).send(), "WrongRideStatus");
  }

  // ------------------------------------------------------------------ access control

  @Test
  void onlyTheirCallersMayUseHooksAndGovernanceFunctions() throws Exception {
    assertRevert(() -> ledger(rider).memberChanged(rider.getAddress(), true, true, false).send(), "NotMembership");
    assertRevert(() -> ledger(rider).fareScheduleChanged(BigInteger.TWO).send(), "NotFareSchedule");
    assertRevert(() -> ledger(rider).setDisputeCommittee(rider.getAddress()).send(), "NotGovernance");
    assertRevert(() -> ledger(rider).setTimeouts(BigInteger.valueOf(3600), BigInteger.valueOf(3600)).send(), "NotGovernance");
    assertRevert(() -> ledger(rider).setOperator("0x0000000000000000000000000000000000000000", true).send(), "ZeroAddress");
  }

  @Test
  void operatorsCanBeRevoked() throws Exception {
    BigInteger id = book(50_000_000L);
    ledger(driver).setOperator(operator.getAddress(), false).send();
    assertRevert(() -> ledger(operator).cancelByDriver(id).send(), "NotDriver");
    ledger(driver).setOperator(operator.getAddress(), true).send();
  }

  @Test
  void driversWithdrawTheirEarnings() throws Exception {
    BigInteger id = book(50_000_000L);
    TripReceipt r = f.receipt(id, 5_200, 900);
    ledger(driver).settle(ContractStructs.receipt(r), f.cosign(r, rider)).send();
    long earned = earnings(driver);
    ledger(driver).withdrawEarnings(BigInteger.valueOf(earned)).send();
    assertThat(earnings(driver)).isZero();
    assertThat(f.token(driver).balanceOf(driver.getAddress()).send()).isEqualTo(BigInteger.valueOf(earned));
  }

  static Offer copy(Offer o, BigInteger maxFare, long nonce, int version, long expiry, String driver) {
    return new Offer(o.requestHash(), o.rider(), driver, maxFare, nonce, o.etaSeconds(), version, expiry);
  }
}
