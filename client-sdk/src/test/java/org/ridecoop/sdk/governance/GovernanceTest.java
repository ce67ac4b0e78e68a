package org.ridecoop.sdk.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.FareParams;
import org.ridecoop.governance.MemberStatus;
import org.ridecoop.governance.Proposal;
import org.ridecoop.governance.ProposalState;
import org.ridecoop.governance.Support;
import org.ridecoop.sdk.ChainRefusedException;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * The SDK's governance on a real deployment (Anvil): a fare change proposed, voted, queued and
 * executed after the timelock, with each too-early step refused clearly and each revert named;
 * exclusion and commission-split proposals that do what they say.
 */
@ExtendWith(AnvilExtension.class)
class GovernanceTest {
  static CoopFixture coop;
  static Governance gov;
  static Credentials alice;
  static Credentials bob;
  static Credentials carol;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    alice = coop.driver(0);
    bob = coop.rider(0);
    carol = coop.driver(1);
    coop.join(alice, 0);
    coop.join(bob, 1);
    coop.join(carol, 0);
    gov = Governance.connect(access, coop.manifest, null);
  }

  static FareParams withBaseFare(FareParams p, long baseFare) {
    return new FareParams(baseFare, p.perKm(), p.perMinute(), p.minimumFare(), p.bookingFee(), p.cancellationFee(),
        p.cancellationGraceSeconds(), p.commissionBps(), p.reserveBps(), p.solidarityBps(), p.operationsBps(),
        p.dividendBps(), p.riderPatronageBps());
  }

  @Test
  void aFareChangeIsVotedQueuedAndExecutedAfterTheTimelockAndBecomesCurrent() throws Exception {
    FareParams next = withBaseFare(gov.currentFare(), 1_700_000);
    BigInteger id = gov.propose(alice, gov.fareChange(next, "Base fare 1.70 EUR"));
    assertThat(gov.state(id)).isEqualTo(ProposalState.PENDING);
    assertThatThrownBy(() -> gov.castVote(bob, id, Support.FOR)).isInstanceOfSatisfying(ChainRefusedException.class,
        e -> assertThat(e.errorName()).isEqualTo("GovernorUnexpectedProposalState"));

    coop.chain.mine(coop.config.votingDelayBlocks() + 1);
    assertThat(gov.state(id)).isEqualTo(ProposalState.ACTIVE);
    gov.castVote(alice, id, Support.FOR);
    gov.castVote(bob, id, Support.FOR);
    assertThatThrownBy(() -> gov.castVote(bob, id, Support.AGAINST)).isInstanceOfSatisfying(
        ChainRefusedException.class, e -> assertThat(e.errorName()).isEqualTo("GovernorAlreadyCastVote"))
        .hasMessageStartingWith("the chain refused to vote AGAINST on proposal " + id);
    assertThatThrownBy(() -> gov.queue(alice, id)).isInstanceOfSatisfying(ProposalNotReadyException.class,
        e -> assertThat(e.state()).isEqualTo(ProposalState.ACTIVE));

    coop.chain.mine(coop.config.votingPeriodBlocks() + 1);
    assertThat(gov.state(id)).isEqualTo(ProposalState.SUCCEEDED);
    assertThatThrownBy(() -> gov.execute(alice, id)).isInstanceOfSatisfying(ProposalNotReadyException.class,
        e -> assertThat(e.state()).isEqualTo(ProposalState.SUCCEEDED));
    gov.queue(alice, id);
    assertThat(gov.state(id)).isEqualTo(ProposalState.QUEUED);
    assertThatThrownBy(() -> gov.execute(bob, id)).isInstanceOfSatisfying(ProposalNotReadyException.class, e -> {
      assertThat(e.state()).isEqualTo(ProposalState.QUEUED);
      assertThat(e.eta()).isGreaterThan(coop.chain.latestTimestamp());
      assertThat(e.getMessage()).contains("QUEUED until its eta");
    });
    assertThat(gov.currentFareVersion()).isEqualTo(1);

    coop.chain.increaseTime(coop.config.timelockDelaySeconds() + 1);
    coop.chain.mine(1);
    gov.execute(bob, id);
    assertThat(gov.state(id)).isEqualTo(ProposalState.EXECUTED);
    assertThat(gov.currentFareVersion()).isEqualTo(2);
    assertThat(gov.currentFare()).isEqualTo(next);

    ProposalInfo listed = gov.proposals().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    assertThat(listed.description()).isEqualTo("Base fare 1.70 EUR");
    assertThat(listed.proposer()).isEqualToIgnoringCase(alice.getAddress());
    assertThat(listed.state()).isEqualTo(ProposalState.EXECUTED);
    assertThat(listed.forVotes()).isEqualTo(2);
    assertThat(listed.againstVotes()).isZero();
    assertThat(listed.approvalBps()).isEqualTo(10_000);
  }

  @Test
  void anExclusionCarriedByTheMembersExcludesTheMemberWithTheReasonHashOnly() throws Exception {
    byte[] reasonHash = Hash.sha3("repeated no-shows, see the minutes of 3 May".getBytes(StandardCharsets.UTF_8));
    Proposal p = gov.exclusion(carol.getAddress(), reasonHash, "Exclude a driver (reason with the committee)");
    coop.carry(p, List.of(alice, bob));
    assertThat(MemberStatus.ofId(coop.membership(alice).statusOf(carol.getAddress()).send().longValueExact()))
        .isEqualTo(MemberStatus.EXCLUDED);
  }

  @Test
  void aCommissionSplitProposalPublishesANewVersionWithOnlyTheSplitChanged() throws Exception {
    FareParams before = gov.currentFare();
    assertThatThrownBy(() -> gov.commissionSplit(6_000, 2_000, 1_000, 500, "not whole"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9500");
    coop.carry(gov.commissionSplit(6_000, 2_000, 1_000, 1_000, "More for the solidarity fund"), List.of(alice, bob));
    FareParams after = gov.currentFare();
    assertThat(gov.currentFareVersion()).isEqualTo(2);
    assertThat(after.solidarityBps()).isEqualTo(2_000);
    assertThat(after.operationsBps()).isEqualTo(1_000);
    assertThat(after.baseFare()).isEqualTo(before.baseFare());
    assertThat(after.commissionBps()).isEqualTo(before.commissionBps());
  }

  @Test
  void someoneWithoutAVoteCannotProposeAndNothingIsProposed() {
    Credentials outsider = coop.rider(7);
    int before = gov.proposals().size();
    assertThatThrownBy(() -> gov.propose(outsider, gov.fareChange(gov.currentFare(), "from outside")))
        .isInstanceOfSatisfying(ChainRefusedException.class,
            e -> assertThat(e.errorName()).isEqualTo("GovernorInsufficientProposerVotes"));
    assertThat(gov.proposals()).hasSize(before);
  }

  @Test
  void votingBySignatureNeedsANodeToRelayThrough() {
    assertThatThrownBy(() -> gov.voteBySignature(alice, BigInteger.ONE, Support.FOR))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no node");
  }
}
