package org.ridecoop.sdk.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.governance.College;
import org.ridecoop.governance.MemberStatus;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.sdk.ChainRefusedException;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * A member's own moves through the SDK on a real deployment (Anvil): joining with a permit (no
 * approval transaction), leaving after the notice with the capital back to the unit, claiming
 * dividends of closed epochs, and the named reverts of each step done out of order.
 */
@ExtendWith(AnvilExtension.class)
class MemberTest {
  static CoopFixture coop;
  static ChainAccess access;
  static BigInteger share;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess chainAccess) throws Exception {
    coop = CoopFixture.deploy(chain, chainAccess);
    access = chainAccess;
    share = coop.config.sharePrice();
  }

  Member member(Credentials key) {
    return Member.connect(access, coop.manifest, key);
  }

  BigInteger balance(Credentials key) throws Exception {
    return coop.token(key).balanceOf(key.getAddress()).send();
  }

  @Test
  void joiningWithAPermitPaysTheShareAndLeavingAfterTheNoticeRefundsIt() throws Exception {
    Credentials key = coop.rider(3);
    coop.fund(key, share.longValueExact());
    Member m = member(key);
    assertThat(m.status().status()).isEqualTo(MemberStatus.NONE);

    m.join(College.RIDERS);
    MemberInfo joined = m.status();
    assertThat(joined.status()).isEqualTo(MemberStatus.ACTIVE);
    assertThat(joined.college()).contains(College.RIDERS);
    assertThat(joined.capital()).isEqualTo(share);
    assertThat(joined.votes()).isTrue();
    assertThat(balance(key)).isZero();
    assertThat(coop.token(key).allowance(key.getAddress(), coop.manifest.address("Membership")).send()).isZero();
    assertThatThrownBy(() -> m.join(College.DRIVERS)).isInstanceOfSatisfying(ChainRefusedException.class,
        e -> assertThat(e.errorName()).isEqualTo("InvalidStatus"))
        .hasMessageStartingWith("the chain refused to join the ");

    assertThatThrownBy(m::completeLeave).isInstanceOfSatisfying(ChainRefusedException.class,
        e -> assertThat(e.errorName()).isEqualTo("NoNoticeGiven"));
    m.requestLeave();
    MemberInfo leaving = m.status();
    assertThat(leaving.votes()).isFalse();
    assertThat(leaving.refundAt()).isGreaterThan(coop.chain.latestTimestamp());
    assertThatThrownBy(m::completeLeave).isInstanceOfSatisfying(ChainRefusedException.class,
        e -> assertThat(e.errorName()).isEqualTo("NoticeNotOver"));
    assertThat(balance(key)).isZero();

    coop.chain.increaseTime(coop.config.leaveNoticeSeconds() + 1);
    coop.chain.mine(1);
    m.completeLeave();
    MemberInfo left = m.status();
    assertThat(left.status()).isEqualTo(MemberStatus.LEFT);
    assertThat(left.capital()).isZero();
    assertThat(balance(key)).isEqualTo(share);
  }

  @Test
  void joiningWithoutTheShareIsRefusedAndTakesNothing() throws Exception {
    Credentials key = coop.rider(4);
    coop.fund(key, share.longValueExact() - 1);
    assertThatThrownBy(() -> member(key).join(College.SUPPORTERS)).isInstanceOfSatisfying(
        ChainRefusedException.class, e -> assertThat(e.errorName()).isEqualTo("ERC20InsufficientBalance"));
    assertThat(member(key).status().status()).isNotEqualTo(MemberStatus.ACTIVE);
    assertThat(balance(key)).isEqualTo(share.subtract(BigInteger.ONE));
  }

  @Test
  void claimAllPaysEveryClosedEpochsDividendOnceAndClaimableListsThem() throws Exception {
    Credentials driver = coop.driver(0);
    Credentials rider = coop.rider(0);
    coop.join(driver, 0);
    coop.join(rider, 1);
    coop.deposit(rider, 50_000_000L);
    BigInteger ride = coop.book(rider, driver, 30_000_000L);
    TripReceipt r = coop.receipt(ride, 8_000, 1_200);
    coop.ledger(driver).settle(ContractStructs.receipt(r), ContractStructs.signature(coop.cosign(r, rider))).send();
    Member m = member(driver);
    assertThat(m.claimable()).as("epoch 1 is still open").isEmpty();
    assertThatThrownBy(() -> m.claim(1)).isInstanceOfSatisfying(ChainRefusedException.class,
        e -> assertThat(e.errorName()).isEqualTo("EpochNotClosed"));

    coop.chain.increaseTime(coop.config.epochLengthSeconds() + 1);
    coop.chain.mine(1);
    coop.treasury(rider).closeEpoch(BigInteger.ONE).send();
    BigInteger pool = coop.treasury(rider).epochInfo(BigInteger.ONE).send().component1();
    assertThat(pool).isPositive();
    List<Dividend> due = m.claimable();
    assertThat(due).hasSize(1);
    assertThat(due.get(0).epoch()).isEqualTo(1);
    assertThat(due.get(0).amount()).isPositive().isLessThanOrEqualTo(pool);

    BigInteger before = balance(driver);
    List<Dividend> paid = m.claimAll();
    assertThat(paid).isEqualTo(due);
    assertThat(balance(driver)).isEqualTo(before.add(due.get(0).amount()));
    assertThat(m.claimable()).isEmpty();
    assertThat(m.claimAll()).isEmpty();
    assertThatThrownBy(() -> m.claim(1)).isInstanceOfSatisfying(ChainRefusedException.class,
        e -> assertThat(e.errorName()).isEqualTo("AlreadyClaimed"));
    coop.assertMoneyInvariant(coop.devAddresses(), List.of(ride));
  }
}
