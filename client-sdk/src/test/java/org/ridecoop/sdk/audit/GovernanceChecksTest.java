package org.ridecoop.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopTimelock;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.FareParams;
import org.ridecoop.governance.Proposal;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.Backdoor;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * The governance checks on a real deployment: a fare version, a suspension and a share price
 * voted, queued and executed pass; the same kind of change made by the timelock's power in other
 * hands (an impersonated timelock, or an outside proposer it was given) fails and is named.
 */
@ExtendWith(AnvilExtension.class)
class GovernanceChecksTest {
  static CoopFixture f;
  static Credentials d0, d1, r0, r1, r2, city;
  static final FareParams V2 = new FareParams(1_500_000, 1_050_000, 350_000, 7_000_000, 500_000, 5_000_000, 120,
      1_000, 6_000, 1_500, 1_500, 1_000, 5_000);

  @BeforeAll
  static void aVotedChange(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    d0 = f.driver(0);
    d1 = f.driver(1);
    r0 = f.rider(0);
    r1 = f.rider(1);
    r2 = f.rider(2);
    city = f.rider(8);
    f.join(d0, 0);
    f.join(d1, 0);
    f.join(r0, 1);
    f.join(r1, 1);
    f.join(r2, 1);
    f.join(city, 2);
    f.chain.mine(1);
    Proposal p = Proposal.describedAs("Commission 10 %; suspend rider 2; share price 20 EUR")
        .call(f.schedule(d0), f.schedule(d0).publish(ContractStructs.fareParams(V2)))
        .call(f.membership(d0), f.membership(d0).suspend(r2.getAddress(), Hash.sha3("reasons".getBytes())))
        .call(f.membership(d0), f.membership(d0).setSharePrice(BigInteger.valueOf(20_000_000)))
        .build();
    f.carry(p, List.of(d0, d1, r0, r1, city));
  }

  AuditReport audit() throws Exception {
    try (Auditor a = new Auditor(f.chain.web3j(), f.manifest, Auditor.DEFAULT_BLOCK_RANGE, line -> {})) {
      return a.run();
    }
  }

  @Test
  void changesMadeByAnExecutedProposalPass() throws Exception {
    AuditReport report = audit();

    assertThat(report.failures()).as(report.summary()).isEmpty();
    assertThat(report.check("governance.changes").figures()).contains("3 by executed proposals")
        .contains("at deployment").doesNotContain("by no proposal");
    assertThat(report.check("governance.proposals").figures()).startsWith("1 proposal(s), 1 queued, 1 executed; "
        + "1 timelock operation(s) scheduled, 1 executed");
    assertThat(report.check("governance.ballots").figures()).isEqualTo("5 ballot(s) on 1 proposal(s)");
  }

  @Test
  void aFareVersionPublishedByTheTimelockWithoutAProposalIsNamed() throws Exception {
    // The timelock's power in an outsider's hands: it publishes straight to the schedule.
    String timelock = f.manifest.address("CoopTimelock");
    FareSchedule rogue = FareSchedule.load(f.manifest.address("FareSchedule"), f.chain.web3j(),
        new Backdoor(f.chain).as(timelock), f.access.gasProvider());
    String tx = rogue.publish(ContractStructs.fareParams(V2)).send().getTransactionHash();

    AuditReport report = audit();

    assertThat(report.failures()).extracting(AuditCheck::id).containsExactly("governance.changes");
    assertThat(report.check("governance.changes").figures())
        .contains("fare version 3 published in tx " + tx).contains("by no executed proposal")
        .contains("3 by executed proposals").contains("1 by no proposal");
  }

  @Test
  void anExclusionTheTimelockRanForAnOutsideProposerIsNamed() throws Exception {
    // The timelock's proposer role handed to an outside account, which schedules and runs an
    // exclusion without the governor.
    Credentials outsider = f.rider(9);
    String timelock = f.manifest.address("CoopTimelock");
    CoopTimelock asItself = CoopTimelock.load(timelock, f.chain.web3j(), new Backdoor(f.chain).as(timelock),
        f.access.gasProvider());
    asItself.grantRole(asItself.PROPOSER_ROLE().send(), outsider.getAddress()).send();
    CoopTimelock byOutsider = f.as(CoopTimelock.class, "CoopTimelock", outsider);
    String membership = f.manifest.address("Membership");
    byte[] exclude = org.web3j.utils.Numeric.hexStringToByteArray(
        f.membership(d0).exclude(r1.getAddress(), new byte[32]).encodeFunctionCall());
    byOutsider.schedule(membership, BigInteger.ZERO, exclude, new byte[32], new byte[32],
        BigInteger.valueOf(f.config.timelockDelaySeconds())).send();
    f.chain.increaseTime(f.config.timelockDelaySeconds() + 1);
    byOutsider.execute(membership, BigInteger.ZERO, exclude, new byte[32], new byte[32], BigInteger.ZERO).send();
    assertThat(f.membership(d0).getVotes(r1.getAddress()).send()).as("excluded: no vote").isZero();

    AuditReport report = audit();

    assertThat(report.failures()).extracting(AuditCheck::id)
        .containsExactly("governance.changes", "governance.proposals");
    assertThat(report.check("governance.changes").figures())
        .contains("member " + r1.getAddress() + " excluded in tx").contains("granted to " + outsider.getAddress())
        .contains("2 by no proposal");
    assertThat(report.check("governance.proposals").figures())
        .contains("for no governor proposal").contains("for no executed proposal");
  }

  @Test
  void ballotsFromAnotherCoopsMembersAreNotThisCoopsVotes() throws Exception {
    // Another co-op's assembly: its members vote on its own proposal. Audited as if it were this
    // co-op's governor, its ballots come from accounts that held no vote here.
    CoopFixture other = CoopFixture.deploy(f.chain, f.access);
    Credentials d2 = f.driver(2), r3 = f.rider(3), r4 = f.rider(4);
    other.join(d2, 0);
    other.join(r3, 1);
    other.join(r4, 2);
    other.chain.mine(1);
    Proposal p = Proposal.describedAs("Another co-op's fare")
        .call(other.schedule(d2), other.schedule(d2).publish(ContractStructs.fareParams(V2))).build();
    p.propose(other.governor(d2));
    BigInteger id = p.id(other.governor(d2));
    other.chain.mine(other.config.votingDelayBlocks() + 1);
    for (Credentials c : List.of(d2, r3, r4)) {
      other.governor(c).castVote(id, BigInteger.ONE).send();
    }
    Map<String, String> mixed = new HashMap<>(f.manifest.contracts());
    mixed.put("CoopGovernor", other.manifest.address("CoopGovernor"));
    DeploymentManifest wrong = new DeploymentManifest(f.manifest.chainId(), f.manifest.deploymentBlock(),
        f.manifest.deployer(), mixed, f.manifest.versions());

    AuditReport report;
    try (Auditor a = new Auditor(f.chain.web3j(), wrong, Auditor.DEFAULT_BLOCK_RANGE, line -> {})) {
      report = a.run();
    }

    assertThat(report.check("governance.ballots").passed()).isFalse();
    assertThat(report.check("governance.ballots").figures()).startsWith("3 ballot(s) on 1 proposal(s)")
        .contains("ballot of " + d2.getAddress()).contains("no vote at the snapshot");
    // and this co-op's voted changes no longer trace to a proposal of that governor
    assertThat(report.check("governance.changes").passed()).isFalse();
    assertThat(report.check("money.ledger").passed()).isTrue();
  }
}
