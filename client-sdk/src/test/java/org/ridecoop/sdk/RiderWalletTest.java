package org.ridecoop.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * A rider's wallet through the SDK on Anvil: the balance it reads (free, escrowed, tokens) and
 * withdrawals of the free part, with the ledger's refusals named and the tokens accounted for.
 * No node is needed: all of it is the rider's own key against the chain.
 */
@ExtendWith(AnvilExtension.class)
class RiderWalletTest {
  static final long DEPOSIT = 50_000_000;
  static final long ESCROW = 30_000_000;

  static CoopFixture f;
  static Credentials riderKey;
  static Credentials driver;

  RideCoop coop;
  Rider rider;
  BigInteger rideId;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    riderKey = f.rider(0);
    driver = f.driver(0);
    f.join(driver, 0);
  }

  /** The rider deposited 50 and booked a ride holding 30 in escrow: 20 are free. */
  @BeforeEach
  void aDepositAndABookedRide() throws Exception {
    f.deposit(riderKey, DEPOSIT);
    rideId = f.book(riderKey, driver, ESCROW);
    // Nothing is asked of a node here: an unreachable one is enough.
    coop = RideCoop.connect(List.of(URI.create("http://127.0.0.1:1")), URI.create(f.chain.rpcUrl()), f.manifest);
    rider = coop.rider(riderKey);
  }

  @AfterEach
  void close() {
    coop.close();
  }

  @Test
  void theBalanceSeparatesTheFreeWalletFromTheEscrowOfOpenRides() {
    assertThat(rider.balance()).isEqualTo(new RiderBalance(DEPOSIT - ESCROW, ESCROW, 0));
  }

  @Test
  void aWithdrawalMovesFreeFundsFromTheLedgerToTheRidersTokens() throws Exception {
    BigInteger ledgerBefore = ledgerTokens();

    rider.withdraw(15_000_000);

    assertThat(rider.balance()).isEqualTo(new RiderBalance(DEPOSIT - ESCROW - 15_000_000, ESCROW, 15_000_000));
    assertThat(ledgerTokens()).isEqualTo(ledgerBefore.subtract(BigInteger.valueOf(15_000_000)));
    f.assertMoneyInvariant(f.devAddresses(), List.of(rideId));

    rider.withdraw(DEPOSIT - ESCROW - 15_000_000); // all that is free, to the unit
    assertThat(rider.balance()).isEqualTo(new RiderBalance(0, ESCROW, DEPOSIT - ESCROW));
    f.assertMoneyInvariant(f.devAddresses(), List.of(rideId));
  }

  @Test
  void withdrawingMoreThanTheFreeBalanceIsRefusedByNameAndMovesNothing() throws Exception {
    BigInteger ledgerBefore = ledgerTokens();
    long free = DEPOSIT - ESCROW;

    // The escrow is not withdrawable: one unit more than the free part is refused.
    ChainRefusedException refused = catchThrowableOfType(ChainRefusedException.class, () -> rider.withdraw(free + 1));

    assertThat(refused.errorName()).isEqualTo("InsufficientBalance");
    assertThat(refused.error().<BigInteger>arg("available")).isEqualTo(BigInteger.valueOf(free));
    assertThat(refused.error().<BigInteger>arg("needed")).isEqualTo(BigInteger.valueOf(free + 1));
    assertThat(refused.getMessage()).contains("withdraw").contains("InsufficientBalance");
    assertThat(rider.balance()).isEqualTo(new RiderBalance(free, ESCROW, 0));
    assertThat(ledgerTokens()).isEqualTo(ledgerBefore);
    f.assertMoneyInvariant(f.devAddresses(), List.of(rideId));
  }

  @Test
  void aZeroOrNegativeWithdrawalIsRefusedBeforeAnythingIsSent() throws Exception {
    long txBefore = transactionCount();

    for (long amount : new long[] {0, -1}) {
      IllegalArgumentException refused = catchThrowableOfType(IllegalArgumentException.class,
          () -> rider.withdraw(amount));
      assertThat(refused).hasMessageContaining("a withdrawal is positive");
    }

    // No transaction left the rider (the ledger would answer ZeroAmount; RideLedgerTest covers it).
    assertThat(transactionCount()).isEqualTo(txBefore);
    assertThat(rider.balance()).isEqualTo(new RiderBalance(DEPOSIT - ESCROW, ESCROW, 0));
  }

  @Test
  void escrowComesBackToTheFreeBalanceWhenTheRideIsCancelled() throws Exception {
    f.ledger(riderKey).cancelByRider(rideId).send(); // within the grace period: free

    assertThat(rider.balance()).isEqualTo(new RiderBalance(DEPOSIT, 0, 0));
    rider.withdraw(DEPOSIT);
    assertThat(rider.balance()).isEqualTo(new RiderBalance(0, 0, DEPOSIT));
    f.assertMoneyInvariant(f.devAddresses(), List.of(rideId));
  }

  private BigInteger ledgerTokens() throws Exception {
    return f.token(f.deployer).balanceOf(f.manifest.address("RideLedger")).send();
  }

  private long transactionCount() throws Exception {
    return f.chain.web3j().ethGetTransactionCount(riderKey.getAddress(),
        org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getTransactionCount().longValueExact();
  }
}
