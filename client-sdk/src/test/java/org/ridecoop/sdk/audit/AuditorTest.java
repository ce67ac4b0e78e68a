package org.ridecoop.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.deploy.DeploymentConfig;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.FareParams;
import org.ridecoop.governance.Proposal;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.Backdoor;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * The auditor on a real history: rides settled one by one and in batches, cancellations, a
 * pending receipt, a fare vote with a solidarity payout, an epoch closed and its dividends
 * claimed, withdrawals. Everything must pass; then a discrepancy must be caught.
 */
@ExtendWith(AnvilExtension.class)
class AuditorTest {
  static CoopFixture f;
  static final List<String> progress = new ArrayList<>();

  @BeforeAll
  static void history(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    Credentials d0 = f.driver(0), d1 = f.driver(1);
    f.join(d0, 0);
    f.join(d1, 0);
    for (int i = 0; i < 4; i++) {
      f.join(f.rider(i), 1);
    }
    Credentials city = f.rider(8);
    f.join(city, 2);
    f.chain.mine(1);
    for (int i = 0; i < 6; i++) {
      f.deposit(f.rider(i), 200_000_000L);
    }

    // rides under version 1: a batch for d0, one by one for d1
    List<RideLedger.PackedReceipt> receipts = new ArrayList<>();
    List<byte[]> sigs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      BigInteger id = f.book(f.rider(i), d0, 40_000_000L);
      TripReceipt r = f.receipt(id, 3_000 + 1_700 * i, 600 + 120 * i);
      receipts.add(ContractStructs.receipt(r));
      sigs.add(f.cosign(r, f.rider(i)));
    }
    f.ledger(d0).settleBatch(receipts, ContractStructs.signatures(sigs)).send();
    BigInteger one = f.book(f.rider(5), d1, 30_000_000L);
    TripReceipt r1 = f.receipt(one, 12_000, 1_500);
    f.ledger(d1).settle(ContractStructs.receipt(r1), ContractStructs.signature(f.cosign(r1, f.rider(5)))).send();
    BigInteger cap = f.book(f.rider(0), d1, 9_000_000L); // the escrow caps this fare
    TripReceipt rc = f.receipt(cap, 20_000, 2_400);
    f.ledger(d1).settle(ContractStructs.receipt(rc), ContractStructs.signature(f.cosign(rc, f.rider(0)))).send();

    // cancellations and a receipt the rider confirms later
    f.ledger(f.rider(1)).cancelByRider(f.book(f.rider(1), d0, 20_000_000L)).send();
    f.ledger(d1).cancelByDriver(f.book(f.rider(2), d1, 20_000_000L)).send();
    BigInteger late = f.book(f.rider(3), d0, 25_000_000L);
    f.chain.increaseTime(600);
    f.ledger(f.rider(3)).cancelByRider(late).send(); // after the grace: fee to the driver
    BigInteger pending = f.book(f.rider(4), d0, 25_000_000L);
    f.ledger(d0).submitReceipt(ContractStructs.receipt(f.receipt(pending, 4_000, 700))).send();
    f.ledger(f.rider(4)).confirmReceipt(pending).send();
    f.book(f.rider(5), d1, 15_000_000L); // stays open

    // a vote: lower the commission and pay a solidarity benefit
    FareParams v2 = new FareParams(1_500_000, 1_050_000, 350_000, 7_000_000, 500_000, 5_000_000, 120,
        1_000, 6_000, 1_500, 1_500, 1_000, 5_000);
    Proposal p = Proposal.describedAs("Commission 10 %; solidarity benefit for driver 1")
        .call(f.schedule(d0), f.schedule(d0).publish(ContractStructs.fareParams(v2)))
        .call(f.treasury(d0), f.treasury(d0).payFromSolidarity(d1.getAddress(), BigInteger.valueOf(100_000), new byte[32]))
        .build();
    p.propose(f.governor(d0));
    BigInteger id = p.id(f.governor(d0));
    f.chain.mine(f.config.votingDelayBlocks() + 1);
    for (Credentials c : List.of(d0, d1, f.rider(0), f.rider(1), city)) {
      f.governor(c).castVote(id, BigInteger.ONE).send();
    }
    f.chain.mine(f.config.votingPeriodBlocks() + 1);
    p.queue(f.governor(d0));
    f.chain.increaseTime(f.config.timelockDelaySeconds() + 1);
    p.execute(f.governor(d0));

    // a ride under version 2, then the epoch closes and members claim
    BigInteger v2ride = f.book(f.rider(2), d0, 40_000_000L);
    TripReceipt r2 = f.receipt(v2ride, 9_000, 1_100);
    f.ledger(d0).settle(ContractStructs.receipt(r2), ContractStructs.signature(f.cosign(r2, f.rider(2)))).send();
    f.chain.increaseTime(f.config.epochLengthSeconds() + 1);
    f.treasury(d0).closeEpoch(BigInteger.ONE).send();
    for (Credentials c : List.of(d0, d1, f.rider(0), f.rider(1), f.rider(2), f.rider(3))) {
      f.treasury(c).claim(BigInteger.ONE).send();
    }
    f.ledger(f.rider(0)).withdraw(BigInteger.valueOf(50_000_000L)).send();
    f.ledger(d0).withdrawEarnings(BigInteger.valueOf(10_000_000L)).send();
  }

  AuditReport audit(DeploymentManifest manifest) throws Exception {
    // A small block range makes the replay take several requests and report progress.
    try (Auditor a = new Auditor(f.chain.web3j(), manifest, 7, progress::add)) {
      return a.run();
    }
  }

  @Test
  void aRuleAbidingHistoryPassesEveryCheck() throws Exception {
    AuditReport report = audit(f.manifest);

    assertThat(report.failures()).as(report.summary()).isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(report.checks()).extracting(AuditCheck::id).containsExactly("chain", "money.ledger", "money.treasury",
        "money.stray", "money.commission", "supply", "fares.schedule", "rides.commission", "split", "reserve", "payouts",
        "dividends", "votes", "governance.changes", "governance.proposals", "governance.ballots");
    AuditTotals t = report.totals();
    assertThat(t.ridesBooked()).isEqualTo(13);
    assertThat(t.ridesSettled()).isEqualTo(9);
    assertThat(t.ridesCancelled()).isEqualTo(3);
    assertThat(t.fareVersions()).isEqualTo(2);
    assertThat(t.members()).isEqualTo(7);
    assertThat(t.commission()).isEqualTo(t.toReserve().add(t.toSolidarity()).add(t.toOperations()).add(t.toDividends()));
    assertThat(t.dividendsClaimed()).isPositive().isLessThanOrEqualTo(t.toDividends());
    assertThat(report.check("payouts").figures()).startsWith("1 payout transaction(s)");
    assertThat(report.check("money.stray").figures()).startsWith("unattributed tokens sent directly: 0.00 EUR from 0");
    assertThat(report.check("governance.changes").figures()).contains("2 by executed proposals");
    assertThat(report.summary()).contains("AUDIT PASSED: all 16 checks hold");
    assertThat(progress).isNotEmpty();
  }

  @Test
  void theSdkRunsTheAuditOnItsOwnChainConnection() throws Exception {
    AuditReport report;
    try (RideCoop coop = RideCoop.connect(List.of(URI.create("http://127.0.0.1:1")), URI.create(f.chain.rpcUrl()),
        f.manifest); Auditor auditor = coop.audit()) {
      report = auditor.run();
    }

    assertThat(report.failures()).as(report.summary()).isEmpty();
    assertThat(report.checks()).hasSize(16);
    assertThat(report.totals().ridesSettled()).isEqualTo(9);
  }

  @Test
  void tokensSentStraightToTheLedgerAndTheTreasuryAreShownApartAndTheAuditPasses() throws Exception {
    sendDirectly();

    AuditReport report = audit(f.manifest);

    assertThat(report.failures()).as(report.summary()).isEmpty();
    assertThat(report.check("money.stray").figures()).isEqualTo(
        "unattributed tokens sent directly: 0.02 EUR from 2 transfer(s) (ledger 0.01 EUR, treasury 0.01 EUR)");
    assertThat(report.check("money.ledger").figures()).contains("− sent directly 0.01 EUR");
    assertThat(report.check("money.treasury").figures()).contains("− sent directly 0.01 EUR");
  }

  @Test
  void tokensLeavingTheLedgerWithoutATransferStillFailTheMoneyCheck() throws Exception {
    sendDirectly();
    // The books tampered with: one base unit vanishes from the ledger's balance, no event.
    String ledger = f.manifest.address("RideLedger"), token = f.manifest.address("CoopToken");
    BigInteger held = f.token(f.deployer).balanceOf(ledger).send();
    new Backdoor(f.chain).setTokenBalance(token, ledger, held, held.subtract(BigInteger.ONE));

    AuditReport report = audit(f.manifest);

    assertThat(report.failures()).extracting(AuditCheck::id).containsExactly("money.ledger");
    assertThat(report.check("money.ledger").figures()).contains("balanceOf(ledger)");
    assertThat(report.summary()).contains("FAIL  ledger tokens").contains("AUDIT FAILED: 1 of 16");
  }

  /** 0.01 token straight to the ledger and 0.01 to the treasury: anyone may do it. */
  private static void sendDirectly() throws Exception {
    Credentials outsider = f.rider(9);
    f.fund(outsider, 20_000);
    f.token(outsider).transfer(f.manifest.address("RideLedger"), BigInteger.valueOf(10_000)).send();
    f.token(outsider).transfer(f.manifest.address("Treasury"), BigInteger.valueOf(10_000)).send();
  }

  @Test
  void anotherCoopsFareScheduleDoesNotExplainTheCommissions() throws Exception {
    FareParams greedy = new FareParams(1_500_000, 1_050_000, 350_000, 7_000_000, 500_000, 5_000_000, 120,
        2_500, 6_000, 1_500, 1_500, 1_000, 5_000);
    DeploymentConfig base = f.config;
    DeploymentConfig other = new DeploymentConfig(base.onRamp(), base.disputeCommittee(), base.sharePrice(),
        base.leaveNoticeSeconds(), greedy, base.epochLengthSeconds(), base.bookingTimeoutSeconds(),
        base.disputeWindowSeconds(), base.timelockDelaySeconds(), base.votingDelayBlocks(), base.votingPeriodBlocks(),
        base.collegeWeightsBps(), base.quorumBps());
    CoopFixture elsewhere = CoopFixture.deploy(f.chain, f.access, other);
    Map<String, String> mixed = new HashMap<>(f.manifest.contracts());
    mixed.put("FareSchedule", elsewhere.manifest.address("FareSchedule"));
    DeploymentManifest wrong = new DeploymentManifest(f.manifest.chainId(), f.manifest.deploymentBlock(),
        f.manifest.deployer(), mixed, f.manifest.versions());

    AuditReport report = audit(wrong);

    assertThat(report.check("rides.commission").passed()).isFalse();
    // its schedule was published after these rides were settled: no version explains them
    assertThat(report.check("rides.commission").figures()).contains("booked under unpublished version 1");
    assertThat(report.check("split").passed()).isFalse();
    assertThat(report.check("money.ledger").passed()).isTrue();
  }
}
