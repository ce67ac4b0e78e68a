package org.ridecoop.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ridecoop.governance.DeployedCoop.bigs;
import static org.ridecoop.test.Reverts.assertRevert;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.chain.ContractError;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.Membership;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.test.AnvilExtension;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple5;
import org.web3j.utils.Numeric;

/**
 * Membership on a full deployment: joining and leaving with share capital, the one-vote
 * checkpoints, the ledger hook, decisions only the timelock may take (carried by real proposals),
 * and the node registry. Every external function's success and each of its custom errors.
 */
@ExtendWith(AnvilExtension.class)
class MembershipTest {
  /** Valid H3 resolution-7 cells (Paris, Lyon). */
  private static final BigInteger PARIS = new BigInteger("871fb4662ffffff", 16);
  private static final BigInteger LYON = new BigInteger("871f8d2a9ffffff", 16);
  private static final byte[] REASON = Hash.sha3("minutes of the assembly of 2026-11-24".getBytes(StandardCharsets.UTF_8));

  private static DeployedCoop coop;
  private static BigInteger share;
  private static Credentials alice; // driver member
  private static Credentials bob; // rider member
  private static Credentials carol; // supporter member
  private static Credentials dave; // registered user, funded
  private static Credentials erin; // funded, never registered
  private static Credentials nodeKey;

  @BeforeAll
  static void deployCoopWithThreeMembers(AnvilChain chain, ChainAccess access) throws Exception {
    coop = DeployedCoop.deploy(chain, access);
    share = coop.config.sharePrice();
    alice = chain.account(3);
    bob = chain.account(4);
    carol = chain.account(5);
    dave = chain.account(6);
    erin = chain.account(7);
    nodeKey = chain.account(8);
    coop.join(alice, College.DRIVERS);
    coop.join(bob, College.RIDERS);
    coop.join(carol, College.SUPPORTERS);
    coop.fund(dave);
    coop.membership(dave).registerUser().send();
    coop.fund(erin);
  }

  private static Membership as(Credentials who) {
    return coop.membership(who);
  }

  private static Membership view() {
    return coop.membershipView();
  }

  /** Runs {@code call} as the timelock would (eth_call from its address), expecting {@code error}. */
  private static ContractError asTimelockReverts(RemoteFunctionCall<?> call, String error) {
    return assertRevert(() -> coop.access.call(coop.timelock(), coop.address("Membership"), call.encodeFunctionCall()),
        error);
  }

  /**
   * Carries {@code call} on Membership through a proposal alice (drivers) and carol (supporters)
   * vote for: 70 % weighted turnout at least, 100 % approval.
   *
   * @return the receipt of the execution
   */
  private static TransactionReceipt decide(String description, RemoteFunctionCall<?> call) throws Exception {
    Proposal p = Proposal.describedAs(description).call(view(), call).build();
    return coop.pass(p, alice, alice, carol);
  }

  private static void approveShare(Credentials who) throws Exception {
    coop.token(who).approve(coop.address("Membership"), view().sharePrice().send()).send();
  }

  private static BigInteger balance(String address) throws Exception {
    return coop.token(erin).balanceOf(address).send();
  }

  @Test
  void deploymentWiresTokenGovernanceLedgerAndRules() throws Exception {
    assertThat(view().token().send()).isEqualToIgnoringCase(coop.address("CoopToken"));
    assertThat(view().governance().send()).isEqualToIgnoringCase(coop.timelock());
    assertThat(view().ledger().send()).isEqualToIgnoringCase(coop.address("RideLedger"));
    assertThat(view().sharePrice().send()).isEqualTo(share);
    assertThat(view().leaveNotice().send()).isEqualTo(coop.config.leaveNoticeSeconds());
  }

  @Nested
  class Constructor {
    @Test
    void rejectsZeroAddresses() {
      String zero = "0x0000000000000000000000000000000000000000";
      assertRevert(() -> deploy(zero, coop.timelock(), coop.address("RideLedger"), share), "ZeroAddress");
      assertRevert(() -> deploy(coop.address("CoopToken"), zero, coop.address("RideLedger"), share), "ZeroAddress");
      assertRevert(() -> deploy(coop.address("CoopToken"), coop.timelock(), zero, share), "ZeroAddress");
    }

    @Test
    void rejectsASharePriceOutOfBounds() {
      ContractError e = assertRevert(() -> deploy(coop.address("CoopToken"), coop.timelock(),
          coop.address("RideLedger"), BigInteger.ZERO), "SharePriceOutOfRange");
      assertThat(e.<BigInteger>arg("max")).isEqualTo(10_000_000_000L);
      assertRevert(() -> deploy(coop.address("CoopToken"), coop.timelock(), coop.address("RideLedger"),
          BigInteger.valueOf(10_000_000_001L)), "SharePriceOutOfRange");
    }

    private Membership deploy(String token, String governance, String ledger, BigInteger price) throws Exception {
      return Membership.deploy(coop.access.web3j(), coop.access.transactionManager(erin), coop.access.gasProvider(),
          token, governance, ledger, price, BigInteger.valueOf(60)).send();
    }
  }

  @Nested
  class Registration {
    @Test
    void registersAUserWhoMayRideButHasNoVote() throws Exception {
      TransactionReceipt r = as(erin).registerUser().send();

      assertThat(Membership.getUserRegisteredEvents(r)).singleElement()
          .satisfies(ev -> assertThat(ev.account).isEqualToIgnoringCase(erin.getAddress()));
      assertThat(coop.statusOf(erin)).isEqualTo(MemberStatus.REGISTERED);
      assertThat(view().getVotes(erin.getAddress()).send()).isZero();
      var wallet = coop.ledger().walletOf(erin.getAddress()).send();
      assertThat(wallet.component3()).as("patron").isFalse();
      assertThat(wallet.component4()).as("barred").isFalse();
    }

    @Test
    void registeringTwiceIsRefused() {
      ContractError e = assertRevert(() -> as(dave).registerUser().send(), "InvalidStatus");
      assertThat(e.<String>arg("account")).isEqualToIgnoringCase(dave.getAddress());
      assertThat(e.<BigInteger>arg("status")).isEqualTo(MemberStatus.REGISTERED.id());
      assertRevert(() -> as(alice).registerUser().send(), "InvalidStatus");
    }
  }

  @Nested
  class Joining {
    @Test
    void joiningPaysTheShareAndGivesOneVoteInTheCollege() throws Exception {
      BigInteger before = balance(coop.address("Membership"));
      BigInteger riders = view().collegeSize(College.RIDERS.idAsBigInteger()).send();
      approveShare(dave);

      TransactionReceipt r = as(dave).join(College.RIDERS.idAsBigInteger()).send();

      assertThat(Membership.getMemberJoinedEvents(r)).singleElement().satisfies(ev -> {
        assertThat(ev.account).isEqualToIgnoringCase(dave.getAddress());
        assertThat(ev.college).isEqualTo(College.RIDERS.id());
        assertThat(ev.capital).isEqualTo(share);
      });
      assertThat(coop.statusOf(dave)).isEqualTo(MemberStatus.ACTIVE);
      assertThat(view().collegeOf(dave.getAddress()).send()).isEqualTo(College.RIDERS.id());
      assertThat(view().capitalOf(dave.getAddress()).send()).isEqualTo(share);
      assertThat(balance(coop.address("Membership"))).isEqualTo(before.add(share));
      assertThat(balance(dave.getAddress())).isEqualTo(DeployedCoop.FUNDS.subtract(share));
      assertThat(view().getVotes(dave.getAddress()).send()).isOne();
      assertThat(view().collegeSize(College.RIDERS.idAsBigInteger()).send()).isEqualTo(riders.add(BigInteger.ONE));
      var wallet = coop.ledger().walletOf(dave.getAddress()).send();
      assertThat(wallet.component3()).as("patron").isTrue();
      assertThat(coop.ledger().driverOf(dave.getAddress()).send().component3()).as("driver").isFalse();
    }

    @Test
    void aDriverMemberIsAnActiveDriverOnTheLedger() throws Exception {
      assertThat(coop.ledger().driverOf(alice.getAddress()).send().component3()).isTrue();
      assertThat(coop.ledger().walletOf(alice.getAddress()).send().component3()).as("patron").isTrue();
    }

    @Test
    void onlyKnownCollegesCanBeJoined() throws Exception {
      approveShare(dave);
      ContractError e = assertRevert(() -> as(dave).join(BigInteger.valueOf(3)).send(), "UnknownCollege");
      assertThat(e.<BigInteger>arg("college")).isEqualTo(3);
    }

    @Test
    void onlyRegisteredOrLeftAccountsCanJoin() throws Exception {
      approveShare(erin);
      ContractError e = assertRevert(() -> as(erin).join(BigInteger.ZERO).send(), "InvalidStatus");
      assertThat(e.<BigInteger>arg("status")).isEqualTo(MemberStatus.NONE.id());
      approveShare(alice);
      e = assertRevert(() -> as(alice).join(BigInteger.ONE).send(), "InvalidStatus");
      assertThat(e.<BigInteger>arg("status")).isEqualTo(MemberStatus.ACTIVE.id());
    }

    @Test
    void joiningWithoutAllowanceFails() {
      assertRevert(() -> as(dave).join(BigInteger.ZERO).send(), "ERC20InsufficientAllowance");
    }

    @Test
    void joinWithPermitNeedsNoPriorApproval() throws Exception {
      BigInteger deadline = BigInteger.valueOf(coop.chain.latestTimestamp() + 3_600);
      byte[] sig = permit(dave, share, deadline);

      as(dave).joinWithPermit(College.SUPPORTERS.idAsBigInteger(), deadline, BigInteger.valueOf(sig[64]),
          java.util.Arrays.copyOfRange(sig, 0, 32), java.util.Arrays.copyOfRange(sig, 32, 64)).send();

      assertThat(coop.statusOf(dave)).isEqualTo(MemberStatus.ACTIVE);
      assertThat(view().capitalOf(dave.getAddress()).send()).isEqualTo(share);
      assertThat(view().collegeOf(dave.getAddress()).send()).isEqualTo(College.SUPPORTERS.id());
    }

    @Test
    void joinWithPermitStillWorksWhenTheFrontRunPermitWasAlreadyUsed() throws Exception {
      BigInteger deadline = BigInteger.valueOf(coop.chain.latestTimestamp() + 3_600);
      byte[] sig = permit(dave, share, deadline);
      byte[] r = java.util.Arrays.copyOfRange(sig, 0, 32);
      byte[] s = java.util.Arrays.copyOfRange(sig, 32, 64);
      BigInteger v = BigInteger.valueOf(sig[64]);
      // someone watching the pool submits the permit first
      coop.token(erin).permit(dave.getAddress(), coop.address("Membership"), share, deadline, v, r, s).send();

      as(dave).joinWithPermit(College.RIDERS.idAsBigInteger(), deadline, v, r, s).send();

      assertThat(coop.statusOf(dave)).isEqualTo(MemberStatus.ACTIVE);
    }

    @Test
    void joinWithABadPermitAndNoAllowanceFails() throws Exception {
      BigInteger deadline = BigInteger.valueOf(coop.chain.latestTimestamp() + 3_600);
      byte[] sig = permit(erin, share, deadline); // signed by the wrong key
      assertRevert(() -> as(dave).joinWithPermit(BigInteger.ONE, deadline, BigInteger.valueOf(sig[64]),
          java.util.Arrays.copyOfRange(sig, 0, 32), java.util.Arrays.copyOfRange(sig, 32, 64)).send(),
          "ERC20InsufficientAllowance");
    }

    /** An EIP-2612 permit from {@code owner} letting Membership take {@code value}. */
    private byte[] permit(Credentials owner, BigInteger value, BigInteger deadline) throws Exception {
      CoopToken token = coop.token(dave);
      BigInteger nonce = token.nonces(dave.getAddress()).send();
      byte[] typeHash = Hash.sha3("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
          .getBytes(StandardCharsets.UTF_8));
      byte[] struct = Hash.sha3(concat(typeHash, word(Numeric.toBigInt(dave.getAddress())),
          word(Numeric.toBigInt(coop.address("Membership"))), word(value), word(nonce), word(deadline)));
      Eip712Domain domain = new Eip712Domain("CoopEuro", "1", coop.access.chainId(), coop.address("CoopToken"));
      return MessageSigner.sign(domain, struct, owner);
    }
  }

  @Nested
  class Leaving {
    @Test
    void noticeTakesTheVoteAtOnceButKeepsTheStatus() throws Exception {
      BigInteger drivers = view().collegeSize(BigInteger.ZERO).send();

      TransactionReceipt r = as(alice).requestLeave().send();

      long refundAt = coop.chain.latestTimestamp() + coop.config.leaveNoticeSeconds();
      assertThat(Membership.getLeaveRequestedEvents(r)).singleElement()
          .satisfies(ev -> assertThat(ev.refundAt).isEqualTo(refundAt));
      assertThat(view().refundAvailableAt(alice.getAddress()).send()).isEqualTo(refundAt);
      assertThat(coop.statusOf(alice)).isEqualTo(MemberStatus.ACTIVE);
      assertThat(view().getVotes(alice.getAddress()).send()).isZero();
      assertThat(view().collegeSize(BigInteger.ZERO).send()).isEqualTo(drivers.subtract(BigInteger.ONE));
      BigInteger before = r.getBlockNumber().subtract(BigInteger.ONE);
      assertThat(view().getPastVotes(alice.getAddress(), before).send()).as("history is kept").isOne();
    }

    @Test
    void onlyMembersGiveNoticeAndOnlyOnce() throws Exception {
      ContractError e = assertRevert(() -> as(dave).requestLeave().send(), "InvalidStatus");
      assertThat(e.<BigInteger>arg("status")).isEqualTo(MemberStatus.REGISTERED.id());
      as(bob).requestLeave().send();
      e = assertRevert(() -> as(bob).requestLeave().send(), "AlreadyGivenNotice");
      assertThat(e.<BigInteger>arg("refundAt")).isEqualTo(view().refundAvailableAt(bob.getAddress()).send());
    }

    @Test
    void completingTheLeaveRefundsExactlyTheCapital() throws Exception {
      BigInteger before = balance(bob.getAddress());
      as(bob).requestLeave().send();
      coop.chain.increaseTime(coop.config.leaveNoticeSeconds());
      coop.chain.mine(1);

      TransactionReceipt r = as(bob).completeLeave().send();

      assertThat(Membership.getMemberLeftEvents(r)).singleElement()
          .satisfies(ev -> assertThat(ev.refund).isEqualTo(share));
      assertThat(balance(bob.getAddress())).isEqualTo(before.add(share));
      assertThat(view().capitalOf(bob.getAddress()).send()).isZero();
      assertThat(view().refundAvailableAt(bob.getAddress()).send()).isZero();
      assertThat(coop.statusOf(bob)).isEqualTo(MemberStatus.LEFT);
      assertThat(coop.ledger().walletOf(bob.getAddress()).send().component3()).as("patron").isFalse();
    }

    @Test
    void completingBeforeTheNoticeEndsIsRefused() throws Exception {
      as(bob).requestLeave().send();
      ContractError e = assertRevert(() -> as(bob).completeLeave().send(), "NoticeNotOver");
      assertThat(e.<BigInteger>arg("refundAt")).isEqualTo(view().refundAvailableAt(bob.getAddress()).send());
    }

    @Test
    void completingWithoutNoticeIsRefused() {
      assertRevert(() -> as(bob).completeLeave().send(), "NoNoticeGiven");
      ContractError e = assertRevert(() -> as(dave).completeLeave().send(), "InvalidStatus");
      assertThat(e.<BigInteger>arg("status")).isEqualTo(MemberStatus.REGISTERED.id());
    }

    @Test
    void aLeftMemberMayJoinAgainInAnotherCollege() throws Exception {
      as(bob).requestLeave().send();
      coop.chain.increaseTime(coop.config.leaveNoticeSeconds());
      coop.chain.mine(1);
      as(bob).completeLeave().send();
      approveShare(bob);

      as(bob).join(College.SUPPORTERS.idAsBigInteger()).send();

      assertThat(coop.statusOf(bob)).isEqualTo(MemberStatus.ACTIVE);
      assertThat(view().collegeOf(bob.getAddress()).send()).isEqualTo(College.SUPPORTERS.id());
      assertThat(view().getVotes(bob.getAddress()).send()).isOne();
      assertThat(view().capitalOf(bob.getAddress()).send()).isEqualTo(share);
    }
  }

  @Nested
  class GovernanceDecisions {
    @Test
    void onlyTheTimelockDecides() {
      for (RemoteFunctionCall<?> call : List.of(
          as(alice).suspend(bob.getAddress(), REASON),
          as(alice).exclude(bob.getAddress(), REASON),
          as(alice).reinstate(bob.getAddress(), REASON),
          as(alice).setSharePrice(BigInteger.ONE))) {
        ContractError e = assertRevert(call::send, "NotGovernance");
        assertThat(e.<String>arg("caller")).isEqualToIgnoringCase(alice.getAddress());
      }
    }

    @Test
    void suspensionThroughAPassedProposalTakesTheVoteAndBars() throws Exception {
      TransactionReceipt r = decide("Suspend bob", view().suspend(bob.getAddress(), REASON));

      assertThat(Membership.getMemberSuspendedEvents(r)).singleElement().satisfies(ev -> {
        assertThat(ev.account).isEqualToIgnoringCase(bob.getAddress());
        assertThat(ev.reasonHash).isEqualTo(REASON);
      });
      assertThat(coop.statusOf(bob)).isEqualTo(MemberStatus.SUSPENDED);
      assertThat(view().getVotes(bob.getAddress()).send()).isZero();
      assertThat(view().collegeSize(College.RIDERS.idAsBigInteger()).send()).isZero();
      var wallet = coop.ledger().walletOf(bob.getAddress()).send();
      assertThat(wallet.component3()).as("patron").isFalse();
      assertThat(wallet.component4()).as("barred").isTrue();
    }

    @Test
    void reinstatementGivesTheVoteBack() throws Exception {
      decide("Suspend bob", view().suspend(bob.getAddress(), REASON));
      TransactionReceipt r = decide("Reinstate bob", view().reinstate(bob.getAddress(), REASON));

      assertThat(Membership.getMemberReinstatedEvents(r)).hasSize(1);
      assertThat(coop.statusOf(bob)).isEqualTo(MemberStatus.ACTIVE);
      assertThat(view().getVotes(bob.getAddress()).send()).isOne();
      assertThat(coop.ledger().walletOf(bob.getAddress()).send().component4()).as("barred").isFalse();
    }

    @Test
    void exclusionIsFinalAndTheCapitalIsRefundedAfterTheNotice() throws Exception {
      TransactionReceipt excluded = decide("Exclude bob", view().exclude(bob.getAddress(), REASON));
      assertThat(Membership.getMemberExcludedEvents(excluded)).singleElement()
          .satisfies(ev -> assertThat(ev.reasonHash).isEqualTo(REASON));
      assertThat(coop.statusOf(bob)).isEqualTo(MemberStatus.EXCLUDED);
      assertThat(view().getVotes(bob.getAddress()).send()).isZero();
      assertThat(coop.ledger().walletOf(bob.getAddress()).send().component4()).as("barred").isTrue();
      approveShare(bob);
      assertRevert(() -> as(bob).join(BigInteger.ONE).send(), "InvalidStatus");
      assertRevert(() -> as(erin).refundExcluded(bob.getAddress()).send(), "NoticeNotOver");

      coop.chain.increaseTime(coop.config.leaveNoticeSeconds());
      coop.chain.mine(1);
      BigInteger before = balance(bob.getAddress());
      TransactionReceipt r = as(erin).refundExcluded(bob.getAddress()).send(); // anyone may trigger it

      assertThat(Membership.getExcludedCapitalRefundedEvents(r)).singleElement()
          .satisfies(ev -> assertThat(ev.refund).isEqualTo(share));
      assertThat(balance(bob.getAddress())).isEqualTo(before.add(share));
      assertThat(coop.statusOf(bob)).isEqualTo(MemberStatus.EXCLUDED);
      assertRevert(() -> as(erin).refundExcluded(bob.getAddress()).send(), "NothingToRefund");
    }

    @Test
    void onlyExcludedAccountsAreRefundedThatWay() {
      ContractError e = assertRevert(() -> as(erin).refundExcluded(bob.getAddress()).send(), "InvalidStatus");
      assertThat(e.<BigInteger>arg("status")).isEqualTo(MemberStatus.ACTIVE.id());
    }

    @Test
    void decisionsOnTheWrongStatusAreRefusedEvenForTheTimelock() {
      asTimelockReverts(view().suspend(dave.getAddress(), REASON), "InvalidStatus");
      asTimelockReverts(view().exclude(dave.getAddress(), REASON), "InvalidStatus");
      ContractError e = asTimelockReverts(view().reinstate(bob.getAddress(), REASON), "InvalidStatus");
      assertThat(e.<BigInteger>arg("status")).isEqualTo(MemberStatus.ACTIVE.id());
    }

    @Test
    void sharePriceIsBounded() {
      asTimelockReverts(view().setSharePrice(BigInteger.ZERO), "SharePriceOutOfRange");
      ContractError e = asTimelockReverts(view().setSharePrice(BigInteger.valueOf(10_000_000_001L)),
          "SharePriceOutOfRange");
      assertThat(e.<BigInteger>arg("price")).isEqualTo(10_000_000_001L);
    }

    @Test
    void newSharePriceAppliesToNewMembersOnly() throws Exception {
      BigInteger price = BigInteger.valueOf(50_000_000);
      TransactionReceipt r = decide("Share at 50 EUR", view().setSharePrice(price));

      assertThat(Membership.getSharePriceChangedEvents(r)).singleElement().satisfies(ev -> {
        assertThat(ev.oldPrice).isEqualTo(share);
        assertThat(ev.newPrice).isEqualTo(price);
      });
      assertThat(view().sharePrice().send()).isEqualTo(price);
      assertThat(view().capitalOf(alice.getAddress()).send()).isEqualTo(share);
      approveShare(dave);
      as(dave).join(BigInteger.ONE).send();
      assertThat(view().capitalOf(dave.getAddress()).send()).isEqualTo(price);
    }
  }

  @Nested
  class Votes {
    @Test
    void clockIsTheBlockNumber() throws Exception {
      assertThat(view().clock().send()).isEqualTo(coop.blockNumber());
      assertThat(view().CLOCK_MODE().send()).isEqualTo("mode=blocknumber&from=default");
    }

    @Test
    void pastVotesAndCollegesFollowTheHistory() throws Exception {
      long joinedAt = coop.blockNumber() + 2; // approve, then join
      approveShare(dave);
      as(dave).join(College.SUPPORTERS.idAsBigInteger()).send();
      coop.chain.mine(1);

      assertThat(view().getPastVotes(dave.getAddress(), BigInteger.valueOf(joinedAt - 1)).send()).isZero();
      assertThat(view().getPastVotes(dave.getAddress(), BigInteger.valueOf(joinedAt)).send()).isOne();
      var before = view().pastCollegeOf(dave.getAddress(), BigInteger.valueOf(joinedAt - 1)).send();
      assertThat(before.component1()).isFalse();
      var after = view().pastCollegeOf(dave.getAddress(), BigInteger.valueOf(joinedAt)).send();
      assertThat(after.component1()).isTrue();
      assertThat(after.component2()).isEqualTo(College.SUPPORTERS.id());
      assertThat(view().pastCollegeSize(College.SUPPORTERS.idAsBigInteger(), BigInteger.valueOf(joinedAt - 1)).send())
          .isOne();
      assertThat(view().pastCollegeSize(College.SUPPORTERS.idAsBigInteger(), BigInteger.valueOf(joinedAt)).send())
          .isEqualTo(2);
    }

    @Test
    void theFutureCannotBeRead() throws Exception {
      BigInteger now = BigInteger.valueOf(coop.blockNumber());
      ContractError e = assertRevert(() -> view().getPastVotes(alice.getAddress(), now.add(BigInteger.TEN)).send(),
          "ERC5805FutureLookup");
      assertThat(e.<BigInteger>arg("timepoint")).isEqualTo(now.add(BigInteger.TEN));
      assertRevert(() -> view().pastCollegeOf(alice.getAddress(), now.add(BigInteger.TEN)).send(), "ERC5805FutureLookup");
      assertRevert(() -> view().pastCollegeSize(BigInteger.ZERO, now.add(BigInteger.TEN)).send(), "ERC5805FutureLookup");
    }

    @Test
    void collegesAreChecked() {
      assertRevert(() -> view().collegeSize(BigInteger.valueOf(3)).send(), "UnknownCollege");
      assertRevert(() -> view().pastCollegeSize(BigInteger.valueOf(7), BigInteger.ONE).send(), "UnknownCollege");
    }

    @Test
    void oneVotePerActiveMemberWhateverHappens() throws Exception {
      List<Credentials> everyone = new ArrayList<>(List.of(alice, bob, carol, dave, erin));
      assertOneVoteInvariant(everyone, 3);

      approveShare(dave);
      as(dave).join(BigInteger.ONE).send();
      as(erin).registerUser().send();
      approveShare(erin);
      as(erin).join(BigInteger.ZERO).send();
      assertOneVoteInvariant(everyone, 5);

      // extra capital does not buy a second vote: a second join is refused
      approveShare(erin);
      assertRevert(() -> as(erin).join(BigInteger.ONE).send(), "InvalidStatus");

      as(alice).requestLeave().send();
      as(bob).requestLeave().send();
      assertOneVoteInvariant(everyone, 3);

      coop.chain.increaseTime(coop.config.leaveNoticeSeconds());
      coop.chain.mine(1);
      as(alice).completeLeave().send();
      approveShare(alice);
      as(alice).join(BigInteger.TWO).send();
      assertOneVoteInvariant(everyone, 4);
    }

    private void assertOneVoteInvariant(List<Credentials> accounts, int activeVoters) throws Exception {
      BigInteger sum = BigInteger.ZERO;
      for (Credentials a : accounts) {
        BigInteger v = view().getVotes(a.getAddress()).send();
        assertThat(v).isBetween(BigInteger.ZERO, BigInteger.ONE);
        sum = sum.add(v);
      }
      BigInteger colleges = BigInteger.ZERO;
      for (College c : College.values()) colleges = colleges.add(view().collegeSize(c.idAsBigInteger()).send());
      assertThat(sum).isEqualTo(activeVoters);
      assertThat(view().votingMembers().send()).isEqualTo(sum);
      assertThat(colleges).isEqualTo(sum);
    }
  }

  @Nested
  class Nodes {
    private static final String ENDPOINT = "https://node.alice.example:8443";
    private final byte[] enode = new byte[64];

    @Test
    void anActiveDriverRegistersANode() throws Exception {
      enode[0] = 0x42;

      TransactionReceipt r = as(alice).registerNode(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS, LYON)).send();

      assertThat(Membership.getNodeRegisteredEvents(r)).singleElement().satisfies(ev -> {
        assertThat(ev.node).isEqualToIgnoringCase(nodeKey.getAddress());
        assertThat(ev.operator).isEqualToIgnoringCase(alice.getAddress());
        assertThat(ev.endpoint).isEqualTo(ENDPOINT);
        assertThat(ev.cells).containsExactly(PARIS, LYON);
      });
      Tuple5<String, String, byte[], List<BigInteger>, Boolean> n = view().nodeOf(nodeKey.getAddress()).send();
      assertThat(n.component1()).isEqualToIgnoringCase(alice.getAddress());
      assertThat(n.component2()).isEqualTo(ENDPOINT);
      assertThat(n.component3()).isEqualTo(enode);
      assertThat(n.component4()).containsExactly(PARIS, LYON);
      assertThat(n.component5()).as("usable").isTrue();
      assertThat(view().nodeCount().send()).isOne();
      assertThat(view().nodeAt(BigInteger.ZERO).send()).isEqualToIgnoringCase(nodeKey.getAddress());
    }

    @Test
    void aNodeWithoutEnodeIsAccepted() throws Exception {
      as(alice).registerNode(nodeKey.getAddress(), ENDPOINT, new byte[0], List.of(PARIS)).send();
      assertThat(view().nodeOf(nodeKey.getAddress()).send().component3()).isEmpty();
    }

    @Test
    void onlyActiveDriversRegisterNodes() {
      ContractError e = assertRevert(() -> as(bob).registerNode(nodeKey.getAddress(), ENDPOINT, enode,
          List.of(PARIS)).send(), "NotActiveDriver");
      assertThat(e.<String>arg("account")).isEqualToIgnoringCase(bob.getAddress());
      assertRevert(() -> as(dave).registerNode(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS)).send(),
          "NotActiveDriver");
    }

    @Test
    void registrationsAreValidated() throws Exception {
      assertRevert(() -> register("0x0000000000000000000000000000000000000000", ENDPOINT, enode, List.of(PARIS)),
          "ZeroAddress");
      ContractError e = assertRevert(() -> register(nodeKey.getAddress(), "", enode, List.of(PARIS)), "InvalidEndpoint");
      assertThat(e.<BigInteger>arg("length")).isZero();
      assertRevert(() -> register(nodeKey.getAddress(), "x".repeat(257), enode, List.of(PARIS)), "InvalidEndpoint");
      register(nodeKey.getAddress(), "x".repeat(256), new byte[0], List.of(PARIS)); // the limit itself is fine
      as(alice).removeNode(nodeKey.getAddress()).send();
      e = assertRevert(() -> register(nodeKey.getAddress(), ENDPOINT, new byte[33], List.of(PARIS)), "InvalidEnode");
      assertThat(e.<BigInteger>arg("length")).isEqualTo(33);
      assertRevert(() -> register(nodeKey.getAddress(), ENDPOINT, enode, List.of()), "InvalidCellCount");
      List<BigInteger> tooMany = new ArrayList<>();
      for (int i = 0; i < 65; i++) tooMany.add(PARIS);
      e = assertRevert(() -> register(nodeKey.getAddress(), ENDPOINT, enode, tooMany), "InvalidCellCount");
      assertThat(e.<BigInteger>arg("count")).isEqualTo(65);
      BigInteger resolution8 = new BigInteger("881fb46625fffff", 16);
      e = assertRevert(() -> register(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS, resolution8)), "InvalidCell");
      assertThat(e.<BigInteger>arg("cell")).isEqualTo(resolution8);
      assertRevert(() -> register(nodeKey.getAddress(), ENDPOINT, enode, List.of(BigInteger.valueOf(12345))),
          "InvalidCell");
    }

    @Test
    void aNodeIsRegisteredOnce() throws Exception {
      register(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS));
      ContractError e = assertRevert(() -> register(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS)),
          "NodeAlreadyRegistered");
      assertThat(e.<String>arg("operator")).isEqualToIgnoringCase(alice.getAddress());
    }

    @Test
    void theOperatorUpdatesItsNode() throws Exception {
      register(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS));

      TransactionReceipt r = as(alice).updateNode(nodeKey.getAddress(), "https://new.example", new byte[0],
          List.of(LYON)).send();

      assertThat(Membership.getNodeUpdatedEvents(r)).hasSize(1);
      var n = view().nodeOf(nodeKey.getAddress()).send();
      assertThat(n.component2()).isEqualTo("https://new.example");
      assertThat(n.component3()).isEmpty();
      assertThat(n.component4()).containsExactly(LYON);
    }

    @Test
    void updatesAreCheckedLikeRegistrations() throws Exception {
      assertRevert(() -> as(alice).updateNode(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS)).send(),
          "UnknownNode");
      register(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS));
      ContractError e = assertRevert(() -> as(bob).updateNode(nodeKey.getAddress(), ENDPOINT, enode,
          List.of(PARIS)).send(), "NotNodeOperator");
      assertThat(e.<String>arg("caller")).isEqualToIgnoringCase(bob.getAddress());
      assertRevert(() -> as(alice).updateNode(nodeKey.getAddress(), "", enode, List.of(PARIS)).send(),
          "InvalidEndpoint");
      leave(alice);
      assertRevert(() -> as(alice).updateNode(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS)).send(),
          "NotActiveDriver");
    }

    @Test
    void aNodeIsUnusableOnceItsOperatorIsGone() throws Exception {
      register(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS));
      leave(alice);
      var n = view().nodeOf(nodeKey.getAddress()).send();
      assertThat(n.component1()).isEqualToIgnoringCase(alice.getAddress());
      assertThat(n.component5()).as("usable").isFalse();
    }

    @Test
    void removalKeepsTheListDense() throws Exception {
      List<String> nodes = List.of(coop.chain.account(9).getAddress(), coop.chain.account(10).getAddress(),
          coop.chain.account(11).getAddress());
      for (String node : nodes) register(node, ENDPOINT, enode, List.of(PARIS));

      TransactionReceipt r = as(alice).removeNode(nodes.get(0)).send();

      assertThat(Membership.getNodeRemovedEvents(r)).singleElement()
          .satisfies(ev -> assertThat(ev.removedBy).isEqualToIgnoringCase(alice.getAddress()));
      assertThat(view().nodeCount().send()).isEqualTo(2);
      assertThat(List.of(view().nodeAt(BigInteger.ZERO).send(), view().nodeAt(BigInteger.ONE).send()))
          .containsExactlyInAnyOrder(nodes.get(1).toLowerCase(), nodes.get(2).toLowerCase());
      var gone = view().nodeOf(nodes.get(0)).send();
      assertThat(gone.component1()).isEqualTo("0x0000000000000000000000000000000000000000");
      assertThat(gone.component4()).isEmpty();
      assertThat(gone.component5()).isFalse();
      ContractError e = assertRevert(() -> view().nodeAt(BigInteger.TWO).send(), "NodeIndexOutOfRange");
      assertThat(e.<BigInteger>arg("count")).isEqualTo(2);
    }

    @Test
    void onlyTheOperatorOrGovernanceRemoves() throws Exception {
      assertRevert(() -> as(alice).removeNode(nodeKey.getAddress()).send(), "UnknownNode");
      register(nodeKey.getAddress(), ENDPOINT, enode, List.of(PARIS));
      assertRevert(() -> as(bob).removeNode(nodeKey.getAddress()).send(), "NotNodeOperator");

      decide("Remove a node that misbehaves", view().removeNode(nodeKey.getAddress()));

      assertThat(view().nodeCount().send()).isZero();
    }

    private void register(String node, String endpoint, byte[] enodeKey, List<BigInteger> cells) throws Exception {
      as(alice).registerNode(node, endpoint, enodeKey, cells).send();
    }

    private void leave(Credentials member) throws Exception {
      as(member).requestLeave().send();
      coop.chain.increaseTime(coop.config.leaveNoticeSeconds());
      coop.chain.mine(1);
      as(member).completeLeave().send();
    }
  }

  private static byte[] word(BigInteger v) {
    return Numeric.toBytesPadded(v, 32);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
