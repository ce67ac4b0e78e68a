package org.ridecoop.treasury;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ridecoop.test.Reverts.assertRevert;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.Treasury;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.Fare;
import org.ridecoop.fare.FareParams;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/** Treasury on Anvil: commission split, epochs, dividend claims, dust and sweeps. */
@ExtendWith(AnvilExtension.class)
class TreasuryTest {
  static CoopFixture f;
  static Credentials driver;
  static Credentials riderMember;
  static Credentials plainRider;
  final Set<BigInteger> rides = new HashSet<>();

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    driver = f.driver(0);
    riderMember = f.rider(0);
    plainRider = f.rider(1);
    f.join(driver, 0);
    f.join(riderMember, 1);
  }

  @AfterEach
  void moneyInvariant() throws Exception {
    f.assertMoneyInvariant(f.devAddresses(), rides);
  }

  Treasury treasury(Credentials as) {
    return f.treasury(as);
  }

  long ride(Credentials rider, long metres, long seconds) throws Exception {
    f.deposit(rider, 40_000_000L);
    BigInteger id = f.book(rider, driver, 40_000_000L);
    rides.add(id);
    TripReceipt r = f.receipt(id, metres, seconds);
    f.ledger(driver).settle(ContractStructs.receipt(r), f.cosign(r, rider)).send();
    return Fare.of(f.fareParams(1), metres, seconds);
  }

  @Test
  void commissionIsSplitByTheRidesScheduleVersion() throws Exception {
    long fare = ride(plainRider, 5_200, 900);
    FareParams p = f.fareParams(1);
    long commission = Fare.commission(p, fare);
    var funds = treasury(driver).funds().send();
    long solidarity = commission * p.solidarityBps() / 10_000;
    long operations = commission * p.operationsBps() / 10_000;
    long dividends = commission * p.dividendBps() / 10_000;
    assertThat(funds.component2().longValueExact()).isEqualTo(solidarity);
    assertThat(funds.component3().longValueExact()).isEqualTo(operations);
    assertThat(funds.component4().longValueExact()).isEqualTo(dividends);
    assertThat(funds.component1().longValueExact()).as("reserve takes the rest, dust included")
        .isEqualTo(commission - solidarity - operations - dividends);
    assertThat(funds.component1().longValueExact() * 10_000).isGreaterThanOrEqualTo(commission * 5_750);
  }

  @Test
  void membersClaimDividendsInProportionToPatronage() throws Exception {
    long fare1 = ride(riderMember, 5_200, 900);
    long fare2 = ride(plainRider, 12_000, 1_500);
    FareParams p = f.fareParams(1);
    long riderPoints = fare1 * p.riderPatronageBps() / 10_000;
    long driverPoints = fare1 + fare2;
    var ledger = f.ledger(driver);
    assertThat(ledger.pointsOf(riderMember.getAddress(), BigInteger.ONE).send().longValueExact()).isEqualTo(riderPoints);
    assertThat(ledger.pointsOf(plainRider.getAddress(), BigInteger.ONE).send()).as("non-members earn no points").isZero();
    assertThat(ledger.pointsOf(driver.getAddress(), BigInteger.ONE).send().longValueExact()).isEqualTo(driverPoints);

    assertRevert(() -> treasury(driver).closeEpoch(BigInteger.ONE).send(), "EpochNotOver");
    assertRevert(() -> treasury(driver).claim(BigInteger.ONE).send(), "EpochNotClosed");
    f.chain.increaseTime(f.config.epochLengthSeconds());
    treasury(plainRider).closeEpoch(BigInteger.ONE).send();
    assertRevert(() -> treasury(driver).closeEpoch(BigInteger.ONE).send(), "EpochAlreadyClosed");

    var epoch = treasury(driver).epochInfo(BigInteger.ONE).send();
    long pool = epoch.component1().longValueExact();
    long total = epoch.component2().longValueExact();
    assertThat(total).isEqualTo(riderPoints + driverPoints);

    long expectedDriver = pool * driverPoints / total;
    assertThat(treasury(driver).claimable(BigInteger.ONE, driver.getAddress()).send().longValueExact()).isEqualTo(expectedDriver);
    treasury(driver).claim(BigInteger.ONE).send();
    assertThat(f.token(driver).balanceOf(driver.getAddress()).send().longValueExact()).isEqualTo(expectedDriver);
    assertRevert(() -> treasury(driver).claim(BigInteger.ONE).send(), "AlreadyClaimed");
    assertRevert(() -> treasury(plainRider).claim(BigInteger.ONE).send(), "NothingToClaim");

    long reserveBefore = treasury(driver).funds().send().component1().longValueExact();
    treasury(riderMember).claim(BigInteger.ONE).send();
    long expectedRider = pool * riderPoints / total;
    long dust = pool - expectedDriver - expectedRider;
    assertThat(treasury(driver).funds().send().component4()).as("all claimed: nothing left unclaimed").isZero();
    assertThat(treasury(driver).funds().send().component1().longValueExact()).as("rounding dust to the reserve")
        .isEqualTo(reserveBefore + dust);
  }

  @Test
  void unclaimedDividendsAreSweptToTheReserveAfterTheClaimWindow() throws Exception {
    ride(riderMember, 5_200, 900);
    f.chain.increaseTime(f.config.epochLengthSeconds());
    treasury(driver).closeEpoch(BigInteger.ONE).send();
    assertRevert(() -> treasury(driver).sweepUnclaimed(BigInteger.ONE).send(), "ClaimWindowOpen");
    assertRevert(() -> treasury(driver).sweepUnclaimed(BigInteger.TWO).send(), "EpochNotClosed");
    f.chain.increaseTime(f.config.epochLengthSeconds() * 26);
    treasury(driver).sweepUnclaimed(BigInteger.ONE).send();
    assertThat(treasury(driver).funds().send().component4()).isZero();
  }

  @Test
  void anEpochWithoutPointsGivesItsPoolToTheReserve() throws Exception {
    f.chain.increaseTime(f.config.epochLengthSeconds() * 3);
    treasury(driver).closeEpoch(BigInteger.TWO).send();
    assertThat(treasury(driver).currentEpoch().send()).isEqualTo(BigInteger.valueOf(4));
    assertRevert(() -> treasury(driver).closeEpoch(BigInteger.ZERO).send(), "EpochNotOver");
  }

  @Test
  void pointsOfAnEarlierEpochSurviveLaterRides() throws Exception {
    long fare1 = ride(riderMember, 5_200, 900);
    f.chain.increaseTime(f.config.epochLengthSeconds());
    long fare2 = ride(riderMember, 1_000, 300);
    int w = f.fareParams(1).riderPatronageBps();
    var ledger = f.ledger(driver);
    assertThat(ledger.pointsOf(riderMember.getAddress(), BigInteger.ONE).send().longValueExact()).isEqualTo(fare1 * w / 10_000);
    assertThat(ledger.pointsOf(riderMember.getAddress(), BigInteger.TWO).send().longValueExact()).isEqualTo(fare2 * w / 10_000);
    assertThat(ledger.pointsOf(driver.getAddress(), BigInteger.ONE).send().longValueExact()).isEqualTo(fare1);
    assertThat(ledger.pointsOf(driver.getAddress(), BigInteger.TWO).send().longValueExact()).isEqualTo(fare2);
  }

  @Test
  void onlyTheLedgerAndGovernanceReachTheirFunctions() {
    assertRevert(() -> treasury(driver).recordCommission(BigInteger.ONE, BigInteger.ONE, BigInteger.ONE, BigInteger.ONE).send(), "NotLedger");
    assertRevert(() -> treasury(driver).payFromSolidarity(driver.getAddress(), BigInteger.ONE, new byte[32]).send(), "NotGovernance");
    assertRevert(() -> treasury(driver).payFromOperations(driver.getAddress(), BigInteger.ONE, new byte[32]).send(), "NotGovernance");
    assertRevert(() -> treasury(driver).setEpochLength(BigInteger.valueOf(3_600)).send(), "NotGovernance");
  }
}
