package org.ridecoop.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ridecoop.governance.DeployedCoop.bigs;
import static org.ridecoop.test.Reverts.assertRevert;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.chain.ContractError;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.Membership;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.test.AnvilExtension;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * CoopGovernor on a full deployment with seven members: drivers d1..d3, riders r1..r3, one
 * supporter s1 (weights 50/30/20 %, quorum 20 % weighted turnout, voting delay 1 block, period 50
 * blocks, timelock two days). Expected outcomes are worked out in each test from the rules in
 * GovernorCountingColleges.
 */
@ExtendWith(AnvilExtension.class)
class CoopGovernorTest {
  private static final byte[] REASON = Hash.sha3("assembly minutes".getBytes(StandardCharsets.UTF_8));

  private static DeployedCoop coop;
  private static Credentials d1, d2, d3, r1, r2, r3, s1;
  private static Credentials outsider; // registered user, no vote
  private static Credentials relayer; // a node relaying signed ballots, not registered
  private static Credentials newcomer; // funded and registered, joins during tests

  @BeforeAll
  static void deployCoopWithSevenMembers(AnvilChain chain, ChainAccess access) throws Exception {
    coop = DeployedCoop.deploy(chain, access);
    d1 = chain.account(3);
    d2 = chain.account(4);
    d3 = chain.account(5);
    r1 = chain.account(6);
    r2 = chain.account(7);
    r3 = chain.account(8);
    s1 = chain.account(9);
    outsider = chain.account(10);
    relayer = chain.account(11);
    newcomer = chain.account(12);
    for (Credentials d : List.of(d1, d2, d3)) coop.join(d, College.DRIVERS);
    for (Credentials r : List.of(r1, r2, r3)) coop.join(r, College.RIDERS);
    coop.join(s1, College.SUPPORTERS);
    coop.fund(outsider);
    coop.membership(outsider).registerUser().send();
    coop.fund(newcomer);
    coop.membership(newcomer).registerUser().send();
  }

  private static CoopGovernor as(Credentials who) {
    return coop.governor(who);
  }

  private static CoopGovernor view() {
    return coop.governorView();
  }

  private static Membership members() {
    return coop.membershipView();
  }

  /** A harmless proposal (a share price change) told apart by its description. */
  private static Proposal harmless(String description) {
    return Proposal.describedAs(description).call(members(), members().setSharePrice(BigInteger.valueOf(25_000_000)))
        .build();
  }

  private static Proposal onGovernor(String description, org.web3j.protocol.core.RemoteFunctionCall<?> call) {
    return Proposal.describedAs(description).call(view(), call).build();
  }

  @Nested
  class Constructor {
    private final List<BigInteger> weights = bigs(5_000, 3_000, 2_000);

    @Test
    void votingDelayIsAtLeastOneBlock() {
      ContractError e = assertRevert(() -> deploy(0, 50, weights, 2_000), "GovernorVotingDelayTooShort");
      assertThat(e.<BigInteger>arg("votingDelay")).isZero();
    }

    @Test
    void votingPeriodIsNotZero() {
      assertRevert(() -> deploy(1, 0, weights, 2_000), "GovernorInvalidVotingPeriod");
    }

    @Test
    void collegeWeightsFollowTheScicRule() {
      for (List<BigInteger> bad : List.of(bigs(6_000, 2_000, 2_000), bigs(900, 4_100, 5_000), bigs(5_000, 3_000, 1_000),
          bigs(5_000, 5_000, 1_000))) {
        ContractError e = assertRevert(() -> deploy(1, 50, bad, 2_000), "GovernorInvalidCollegeWeights");
        assertThat(e.<List<BigInteger>>arg("weightsBps")).isEqualTo(bad);
      }
    }

    @Test
    void quorumIsBounded() {
      ContractError e = assertRevert(() -> deploy(1, 50, weights, 499), "GovernorQuorumBpsOutOfRange");
      assertThat(e.<BigInteger>arg("min")).isEqualTo(500);
      e = assertRevert(() -> deploy(1, 50, weights, 8_001), "GovernorQuorumBpsOutOfRange");
      assertThat(e.<BigInteger>arg("max")).isEqualTo(8_000);
    }

    @Test
    void membershipIsRequired() {
      assertRevert(() -> CoopGovernor.deploy(coop.access.web3j(), coop.access.transactionManager(outsider),
          coop.access.gasProvider(), "0x0000000000000000000000000000000000000000", coop.timelock(), BigInteger.ONE,
          BigInteger.TEN, weights, BigInteger.valueOf(2_000)).send(), "GovernorZeroMembership");
    }

    private CoopGovernor deploy(long delay, long period, List<BigInteger> w, long quorum) throws Exception {
      return CoopGovernor.deploy(coop.access.web3j(), coop.access.transactionManager(outsider), coop.access.gasProvider(),
          coop.address("Membership"), coop.timelock(), BigInteger.valueOf(delay), BigInteger.valueOf(period), w,
          BigInteger.valueOf(quorum)).send();
    }
  }

  @Nested
  class Settings {
    @Test
    void deployedRules() throws Exception {
      assertThat(view().name().send()).isEqualTo(BallotSigner.GOVERNOR_NAME);
      assertThat(view().GOVERNOR_NAME().send()).isEqualTo(BallotSigner.GOVERNOR_NAME);
      assertThat(view().version().send()).isEqualTo("1");
      assertThat(view().membership().send()).isEqualToIgnoringCase(coop.address("Membership"));
      assertThat(view().timelock().send()).isEqualToIgnoringCase(coop.timelock());
      assertThat(view().votingDelay().send()).isOne();
      assertThat(view().votingPeriod().send()).isEqualTo(50);
      assertThat(view().proposalThreshold().send()).isOne();
      assertThat(view().collegeWeights().send()).isEqualTo(bigs(5_000, 3_000, 2_000));
      assertThat(view().quorumBps().send()).isEqualTo(2_000);
      assertThat(view().quorum(BigInteger.ONE).send()).isEqualTo(2_000);
      assertThat(view().COUNTING_MODE().send()).isEqualTo("support=bravo&quorum=for,against,abstain&weighting=colleges");
    }

    @Test
    void clockIsMembershipsClock() throws Exception {
      assertThat(view().clock().send()).isEqualTo(members().clock().send()).isEqualTo(coop.blockNumber());
      assertThat(view().CLOCK_MODE().send()).isEqualTo(members().CLOCK_MODE().send());
    }

    @Test
    void ballotDomainMatchesTheJavaSigner() throws Exception {
      var domain = view().eip712Domain().send();
      BallotSigner signer = BallotSigner.forGovernor(coop.access.chainId(), coop.address("CoopGovernor"));
      assertThat(domain.component2()).isEqualTo(signer.domain().name());
      assertThat(domain.component3()).isEqualTo(signer.domain().version());
      assertThat(domain.component4()).isEqualTo(coop.access.chainId());
      assertThat(domain.component5()).isEqualToIgnoringCase(signer.domain().verifyingContract());
      assertThat(view().BALLOT_TYPEHASH().send()).isEqualTo(BallotSigner.BALLOT_TYPEHASH);
    }

    @Test
    void onlyGovernanceChangesTheRules() {
      for (var call : List.of(as(d1).setCollegeWeights(bigs(4_000, 4_000, 2_000)), as(d1).setQuorumBps(BigInteger.TEN),
          as(d1).setVotingDelay(BigInteger.TWO), as(d1).setProposalThreshold(BigInteger.ZERO))) {
        ContractError e = assertRevert(call::send, "GovernorOnlyExecutor");
        assertThat(e.<String>arg("account")).isEqualToIgnoringCase(d1.getAddress());
      }
    }

    @Test
    void weightsAndQuorumChangeThroughAPassedProposal() throws Exception {
      Proposal p = Proposal.describedAs("Rebalance colleges, raise quorum")
          .call(view(), view().setCollegeWeights(bigs(4_000, 4_000, 2_000)))
          .call(view(), view().setQuorumBps(BigInteger.valueOf(3_000)))
          .build();

      TransactionReceipt r = coop.pass(p, d1, d1, d2, d3, r1);

      assertThat(view().collegeWeights().send()).isEqualTo(bigs(4_000, 4_000, 2_000));
      assertThat(view().quorumBps().send()).isEqualTo(3_000);
      assertThat(CoopGovernor.getCollegeWeightsSetEvents(r)).singleElement().satisfies(ev -> {
        assertThat(ev.oldWeightsBps).isEqualTo(bigs(5_000, 3_000, 2_000));
        assertThat(ev.newWeightsBps).isEqualTo(bigs(4_000, 4_000, 2_000));
      });
      assertThat(CoopGovernor.getQuorumBpsSetEvents(r)).singleElement()
          .satisfies(ev -> assertThat(ev.newQuorumBps).isEqualTo(3_000));
    }

    @Test
    void invalidRulesFailAtExecution() throws Exception {
      Proposal weights = onGovernor("Drivers at 60 %", view().setCollegeWeights(bigs(6_000, 2_000, 2_000)));
      Proposal quorum = onGovernor("Quorum 90 %", view().setQuorumBps(BigInteger.valueOf(9_000)));
      Proposal delay = onGovernor("No voting delay", view().setVotingDelay(BigInteger.ZERO));
      Proposal threshold = onGovernor("Two votes to propose", view().setProposalThreshold(BigInteger.TWO));
      List<Proposal> all = List.of(weights, quorum, delay, threshold);
      for (Proposal p : all) p.propose(as(d1));
      coop.mineUntilAfter(view().proposalSnapshot(threshold.id(view())).send());
      for (Proposal p : all) coop.vote(p.id(view()), Support.FOR, d1, d2);
      coop.closeVote(threshold.id(view()));
      for (Proposal p : all) p.queue(as(d1));
      coop.chain.increaseTime(coop.config.timelockDelaySeconds() + 1);
      coop.chain.mine(1);

      assertRevert(() -> weights.execute(as(d1)), "GovernorInvalidCollegeWeights");
      assertRevert(() -> quorum.execute(as(d1)), "GovernorQuorumBpsOutOfRange");
      assertRevert(() -> delay.execute(as(d1)), "GovernorVotingDelayTooShort");
      assertRevert(() -> threshold.execute(as(d1)), "GovernorProposalThresholdTooHigh");
      assertThat(view().votingDelay().send()).isOne();
      assertThat(view().proposalThreshold().send()).isOne();
    }
  }

  @Nested
  class Proposing {
    @Test
    void onlyAccountsHoldingAVotePropose() {
      ContractError e = assertRevert(() -> harmless("from a user").propose(as(outsider)),
          "GovernorInsufficientProposerVotes");
      assertThat(e.<BigInteger>arg("votes")).isZero();
      assertThat(e.<BigInteger>arg("threshold")).isOne();
    }

    @Test
    void aProposalCopiesTheRulesAndOpensAfterOneBlock() throws Exception {
      Proposal p = harmless("Share at 25 EUR");
      TransactionReceipt r = p.propose(as(d1));
      BigInteger id = p.id(view());

      assertThat(view().proposalSnapshot(id).send()).isEqualTo(r.getBlockNumber().add(BigInteger.ONE));
      assertThat(view().proposalDeadline(id).send()).isEqualTo(r.getBlockNumber().add(BigInteger.valueOf(51)));
      assertThat(coop.state(id)).isEqualTo(ProposalState.PENDING);
      var rules = view().proposalRules(id).send();
      assertThat(rules.component1()).isEqualTo(bigs(5_000, 3_000, 2_000));
      assertThat(rules.component2()).isEqualTo(2_000);
      ContractError e = assertRevert(() -> as(d1).castVote(id, BigInteger.ONE).send(), "GovernorUnexpectedProposalState");
      assertThat(e.<BigInteger>arg("current")).isEqualTo(ProposalState.PENDING.ordinal());

      coop.mineUntilAfter(view().proposalSnapshot(id).send());
      assertThat(coop.state(id)).isEqualTo(ProposalState.ACTIVE);
    }
  }

  @Nested
  class Voting {
    @Test
    void oneMemberOneVoteCountedInItsCollege() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("tallies"), d1);

      TransactionReceipt r = as(d1).castVote(id, Support.FOR.idAsBigInteger()).send();
      coop.vote(id, Support.AGAINST, r1);
      coop.vote(id, Support.ABSTAIN, r2, s1);

      assertThat(CoopGovernor.getVoteCastEvents(r)).singleElement().satisfies(ev -> {
        assertThat(ev.voter).isEqualToIgnoringCase(d1.getAddress());
        assertThat(ev.weight).isOne();
      });
      assertThat(view().proposalCollegeVotes(id, BigInteger.ZERO).send().component2()).isOne();
      var riders = view().proposalCollegeVotes(id, BigInteger.ONE).send();
      assertThat(List.of(riders.component1(), riders.component2(), riders.component3())).isEqualTo(bigs(1, 0, 1));
      var supporters = view().proposalCollegeVotes(id, BigInteger.TWO).send();
      assertThat(supporters.component3()).isOne();
      var total = view().proposalVotes(id).send();
      assertThat(List.of(total.component1(), total.component2(), total.component3())).isEqualTo(bigs(1, 1, 2));
      assertThat(view().hasVoted(id, d1.getAddress()).send()).isTrue();
      assertThat(view().hasVoted(id, d2.getAddress()).send()).isFalse();
      assertRevert(() -> view().proposalCollegeVotes(id, BigInteger.valueOf(3)).send(), "GovernorUnknownCollege");
    }

    @Test
    void aSecondVoteIsRefused() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("twice"), d1);
      coop.vote(id, Support.FOR, d1);
      ContractError e = assertRevert(() -> as(d1).castVote(id, BigInteger.ZERO).send(), "GovernorAlreadyCastVote");
      assertThat(e.<String>arg("voter")).isEqualToIgnoringCase(d1.getAddress());
    }

    @Test
    void onlyBravoSupportValues() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("support 3"), d1);
      assertRevert(() -> as(d1).castVote(id, BigInteger.valueOf(3)).send(), "GovernorInvalidVoteType");
    }

    @Test
    void aUserWithoutVoteCannotVote() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("users"), d1);
      ContractError e = assertRevert(() -> as(outsider).castVote(id, BigInteger.ONE).send(), "GovernorNoVoteAtSnapshot");
      assertThat(e.<BigInteger>arg("timepoint")).isEqualTo(view().proposalSnapshot(id).send());
    }

    @Test
    void aMemberWhoJoinsAfterTheSnapshotCannotVote() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("late joiner"), d1);
      coop.token(newcomer).approve(coop.address("Membership"), coop.config.sharePrice()).send();
      coop.membership(newcomer).join(BigInteger.ONE).send();
      coop.chain.mine(1);
      assertThat(members().getVotes(newcomer.getAddress()).send()).isOne();

      assertRevert(() -> as(newcomer).castVote(id, BigInteger.ONE).send(), "GovernorNoVoteAtSnapshot");
      assertThat(view().getVotes(newcomer.getAddress(), view().proposalSnapshot(id).send()).send()).isZero();
    }

    @Test
    void aMemberExcludedBeforeTheSnapshotCannotVote() throws Exception {
      coop.pass(Proposal.describedAs("Exclude r3").call(members(), members().exclude(r3.getAddress(), REASON)).build(),
          d1, d1, d2, r1);
      assertThat(coop.statusOf(r3)).isEqualTo(MemberStatus.EXCLUDED);

      BigInteger id = coop.proposeAndOpen(harmless("after the exclusion"), d1);

      assertRevert(() -> as(r3).castVote(id, BigInteger.ONE).send(), "GovernorNoVoteAtSnapshot");
      assertThat(view().getVotes(r3.getAddress(), view().proposalSnapshot(id).send()).send()).isZero();
    }

    @Test
    void aMemberWhoGivesNoticeAfterTheSnapshotStillVotesOnIt() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("notice after snapshot"), d1);
      coop.membership(r1).requestLeave().send();

      TransactionReceipt r = as(r1).castVote(id, BigInteger.ONE).send();

      assertThat(CoopGovernor.getVoteCastEvents(r).get(0).weight).isOne();
      BigInteger next = coop.proposeAndOpen(harmless("notice before snapshot"), d1);
      assertRevert(() -> as(r1).castVote(next, BigInteger.ONE).send(), "GovernorNoVoteAtSnapshot");
    }

    @Test
    void votesAtTheSnapshotSumToTheCollegeSizes() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("census"), d1);
      BigInteger snapshot = view().proposalSnapshot(id).send();
      BigInteger sum = BigInteger.ZERO;
      for (Credentials a : List.of(d1, d2, d3, r1, r2, r3, s1, outsider, relayer, newcomer)) {
        BigInteger v = view().getVotes(a.getAddress(), snapshot).send();
        assertThat(v).isBetween(BigInteger.ZERO, BigInteger.ONE);
        sum = sum.add(v);
      }
      BigInteger sizes = BigInteger.ZERO;
      for (College c : College.values()) sizes = sizes.add(members().pastCollegeSize(c.idAsBigInteger(), snapshot).send());
      assertThat(sum).isEqualTo(sizes).isEqualTo(7);
    }
  }

  @Nested
  class Outcome {
    @Test
    void weightedMajorityCanDifferFromTheHeadCount() throws Exception {
      // drivers 1 For (100 %), riders 3 Against (0 %): approval = 50 % * 1 / (50 % + 30 %) = 62.5 %
      // turnout = 50 % * 1/3 + 30 % * 3/3 = 46.7 %
      BigInteger id = coop.proposeAndOpen(harmless("head count 1 vs 3"), d1);
      coop.vote(id, Support.FOR, d1);
      coop.vote(id, Support.AGAINST, r1, r2, r3);
      coop.closeVote(id);

      assertThat(coop.state(id)).isEqualTo(ProposalState.SUCCEEDED);
      var result = view().proposalResultBps(id).send();
      assertThat(result.component1()).isEqualTo(6_250);
      assertThat(result.component2()).isEqualTo(4_666);
    }

    @Test
    void exactlyHalfIsNotAMajority() throws Exception {
      // drivers 3 For, riders 3 Against, supporter Against: approval = 50 % exactly
      BigInteger id = coop.proposeAndOpen(harmless("tie"), d1);
      coop.vote(id, Support.FOR, d1, d2, d3);
      coop.vote(id, Support.AGAINST, r1, r2, r3, s1);
      coop.closeVote(id);

      assertThat(view().proposalResultBps(id).send().component1()).isEqualTo(5_000);
      assertThat(coop.state(id)).isEqualTo(ProposalState.DEFEATED);
    }

    @Test
    void aCollegeThatOnlyAbstainsIsLeftOutOfTheApproval() throws Exception {
      // drivers 1 For, riders 2 Abstain: approval over drivers only = 100 %; turnout 16.7 % + 20 % = 36.7 %
      BigInteger id = coop.proposeAndOpen(harmless("abstainers"), d1);
      coop.vote(id, Support.FOR, d1);
      coop.vote(id, Support.ABSTAIN, r1, r2);
      coop.closeVote(id);

      var result = view().proposalResultBps(id).send();
      assertThat(result.component1()).isEqualTo(10_000);
      assertThat(result.component2()).isEqualTo(3_666);
      assertThat(coop.state(id)).isEqualTo(ProposalState.SUCCEEDED);
    }

    @Test
    void withoutQuorumAProposalIsDefeated() throws Exception {
      // one driver of three: turnout = 50 % * 1/3 = 16.7 % < 20 %
      BigInteger id = coop.proposeAndOpen(harmless("too few"), d1);
      coop.vote(id, Support.FOR, d1);
      coop.closeVote(id);

      var result = view().proposalResultBps(id).send();
      assertThat(result.component1()).isEqualTo(10_000);
      assertThat(result.component2()).isEqualTo(1_666);
      assertThat(coop.state(id)).isEqualTo(ProposalState.DEFEATED);
      assertRevert(() -> harmless("too few").queue(as(d1)), "GovernorUnexpectedProposalState");
    }

    @Test
    void twoDriversOfThreeReachTheQuorum() throws Exception {
      // turnout = 50 % * 2/3 = 33.3 %
      BigInteger id = coop.proposeAndOpen(harmless("enough"), d1);
      coop.vote(id, Support.FOR, d1, d2);
      coop.closeVote(id);

      assertThat(coop.state(id)).isEqualTo(ProposalState.SUCCEEDED);
    }

    @Test
    void anEmptyCollegeIsDroppedFromTheTurnoutDenominator() throws Exception {
      coop.membership(s1).requestLeave().send(); // the only supporter: the college is empty from now on
      // one driver of three: turnout = 50 % * 1/3 / (50 % + 30 %) = 20.8 % >= 20 %
      BigInteger id = coop.proposeAndOpen(harmless("no supporters"), d1);
      coop.vote(id, Support.FOR, d1);
      coop.closeVote(id);

      assertThat(view().proposalResultBps(id).send().component2()).isEqualTo(2_083);
      assertThat(coop.state(id)).isEqualTo(ProposalState.SUCCEEDED);
    }

    @Test
    void suspensionHappensOnlyIfTheProposalPasses() throws Exception {
      Proposal suspend = Proposal.describedAs("Suspend r1").call(members(), members().suspend(r1.getAddress(), REASON))
          .build();
      BigInteger id = coop.proposeAndOpen(suspend, d1);
      coop.vote(id, Support.FOR, d1);
      coop.vote(id, Support.AGAINST, d2, d3, r2, r3, s1);
      coop.closeVote(id);

      assertThat(coop.state(id)).isEqualTo(ProposalState.DEFEATED);
      assertRevert(() -> suspend.queue(as(d1)), "GovernorUnexpectedProposalState");
      assertRevert(() -> coop.membership(d1).suspend(r1.getAddress(), REASON).send(), "NotGovernance");
      assertThat(coop.statusOf(r1)).isEqualTo(MemberStatus.ACTIVE);

      Proposal again = Proposal.describedAs("Suspend r1, second assembly")
          .call(members(), members().suspend(r1.getAddress(), REASON)).build();
      coop.pass(again, d1, d1, d2, d3, r2);
      assertThat(coop.statusOf(r1)).isEqualTo(MemberStatus.SUSPENDED);
    }

    @Test
    void aQueuedProposalCannotRunBeforeTheTimelockDelay() throws Exception {
      Proposal p = harmless("early execution");
      BigInteger id = coop.proposeAndOpen(p, d1);
      coop.vote(id, Support.FOR, d1, d2);
      coop.closeVote(id);
      p.queue(as(d1));

      assertThat(coop.state(id)).isEqualTo(ProposalState.QUEUED);
      assertRevert(() -> p.execute(as(d1)), "TimelockUnexpectedOperationState");
    }
  }

  @Nested
  class WeightsChangedMidVote {
    @Test
    void aRunningProposalKeepsTheWeightsItWasCreatedWith() throws Exception {
      // B gives supporters 50 % and drivers 20 %. It passes and is queued before A is created...
      Proposal b = onGovernor("Supporters first", view().setCollegeWeights(bigs(2_000, 3_000, 5_000)));
      BigInteger bId = coop.proposeAndOpen(b, d1);
      coop.vote(bId, Support.FOR, d1, d2, d3);
      coop.closeVote(bId);
      b.queue(as(d1));
      Proposal a = harmless("A, created under 50/30/20");
      BigInteger aId = coop.proposeAndOpen(a, d1);
      // ...and is executed while A's vote is open.
      coop.chain.increaseTime(coop.config.timelockDelaySeconds() + 1);
      coop.chain.mine(1);
      b.execute(as(d1));
      assertThat(view().collegeWeights().send()).isEqualTo(bigs(2_000, 3_000, 5_000));
      assertThat(coop.state(aId)).isEqualTo(ProposalState.ACTIVE);

      // drivers For (2 of 3), the supporter Against.
      // A (50/30/20): approval = 50 / (50 + 20) = 71.4 %: passes.
      coop.vote(aId, Support.FOR, d1, d2);
      coop.vote(aId, Support.AGAINST, s1);
      // C, same votes under 20/30/50: approval = 20 / (20 + 50) = 28.6 %: fails.
      Proposal c = harmless("C, created under 20/30/50");
      BigInteger cId = coop.proposeAndOpen(c, d1);
      coop.vote(cId, Support.FOR, d1, d2);
      coop.vote(cId, Support.AGAINST, s1);
      coop.closeVote(aId);
      coop.closeVote(cId);

      assertThat(view().proposalRules(aId).send().component1()).isEqualTo(bigs(5_000, 3_000, 2_000));
      assertThat(view().proposalResultBps(aId).send().component1()).isEqualTo(7_142);
      assertThat(coop.state(aId)).isEqualTo(ProposalState.SUCCEEDED);
      assertThat(view().proposalRules(cId).send().component1()).isEqualTo(bigs(2_000, 3_000, 5_000));
      assertThat(view().proposalResultBps(cId).send().component1()).isEqualTo(2_857);
      assertThat(coop.state(cId)).isEqualTo(ProposalState.DEFEATED);
    }
  }

  @Nested
  class VoteBySignature {
    @Test
    void aRelayedSignedBallotCountsForTheSigner() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("signed"), d1);
      BallotSigner signer = BallotSigner.forGovernor(coop.access.chainId(), coop.address("CoopGovernor"));
      BigInteger nonce = view().nonces(d2.getAddress()).send();
      byte[] sig = signer.sign(id, Support.FOR, nonce, d2);

      TransactionReceipt r = as(relayer).castVoteBySig(id, Support.FOR.idAsBigInteger(), d2.getAddress(), sig).send();

      assertThat(CoopGovernor.getVoteCastEvents(r)).singleElement().satisfies(ev -> {
        assertThat(ev.voter).isEqualToIgnoringCase(d2.getAddress());
        assertThat(ev.support).isEqualTo(Support.FOR.id());
        assertThat(ev.weight).isOne();
      });
      assertThat(view().hasVoted(id, d2.getAddress()).send()).isTrue();
      assertThat(view().hasVoted(id, relayer.getAddress()).send()).isFalse();
      assertThat(view().nonces(d2.getAddress()).send()).isEqualTo(nonce.add(BigInteger.ONE));
      assertThat(view().proposalCollegeVotes(id, BigInteger.ZERO).send().component2()).isOne();
    }

    @Test
    void theSameSignatureCannotBeReplayed() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("replay"), d1);
      BigInteger other = coop.proposeAndOpen(harmless("replay elsewhere"), d1);
      BallotSigner signer = BallotSigner.forGovernor(coop.access.chainId(), coop.address("CoopGovernor"));
      byte[] sig = signer.sign(id, Support.AGAINST, view().nonces(r1.getAddress()).send(), r1);
      as(relayer).castVoteBySig(id, BigInteger.ZERO, r1.getAddress(), sig).send();

      // the nonce it signed is used up: the same bytes no longer recover to r1
      ContractError e = assertRevert(() -> as(relayer).castVoteBySig(id, BigInteger.ZERO, r1.getAddress(), sig).send(),
          "GovernorInvalidSignature");
      assertThat(e.<String>arg("voter")).isEqualToIgnoringCase(r1.getAddress());
      assertRevert(() -> as(relayer).castVoteBySig(other, BigInteger.ZERO, r1.getAddress(), sig).send(),
          "GovernorInvalidSignature");
    }

    @Test
    void aBallotSignedForAnotherChainIsRejected() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("other chain"), d1);
      BallotSigner elsewhere = BallotSigner.forGovernor(coop.access.chainId() + 1, coop.address("CoopGovernor"));
      byte[] sig = elsewhere.sign(id, Support.FOR, view().nonces(d3.getAddress()).send(), d3);

      assertRevert(() -> as(relayer).castVoteBySig(id, BigInteger.ONE, d3.getAddress(), sig).send(),
          "GovernorInvalidSignature");
      assertThat(view().hasVoted(id, d3.getAddress()).send()).isFalse();
    }

    @Test
    void aBallotClaimingAnotherVoterIsRejected() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("impostor"), d1);
      BallotSigner signer = BallotSigner.forGovernor(coop.access.chainId(), coop.address("CoopGovernor"));
      byte[] sig = signer.sign(id, Support.FOR, view().nonces(d3.getAddress()).send(), relayer);

      assertRevert(() -> as(relayer).castVoteBySig(id, BigInteger.ONE, d3.getAddress(), sig).send(),
          "GovernorInvalidSignature");
    }

    @Test
    void aSignedBallotFromSomeoneWithoutVoteIsRefused() throws Exception {
      BigInteger id = coop.proposeAndOpen(harmless("signed by a user"), d1);
      BallotSigner signer = BallotSigner.forGovernor(coop.access.chainId(), coop.address("CoopGovernor"));
      byte[] sig = signer.sign(id, Support.FOR, view().nonces(outsider.getAddress()).send(), outsider);

      assertRevert(() -> as(relayer).castVoteBySig(id, BigInteger.ONE, outsider.getAddress(), sig).send(),
          "GovernorNoVoteAtSnapshot");
    }
  }
}
