package org.ridecoop.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ridecoop.test.Reverts.assertRevert;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.Fare;
import org.ridecoop.fare.FareParams;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * Members change the co-op's rules end to end: propose, vote in each college, queue, wait out the
 * timelock, execute; rides keep the fare version they were booked under.
 */
@ExtendWith(AnvilExtension.class)
class GovernanceEndToEndTest {
  static final int PENDING = 0, ACTIVE = 1, DEFEATED = 3, SUCCEEDED = 4, QUEUED = 5, EXECUTED = 7;
  static final BigInteger AGAINST = BigInteger.ZERO, FOR = BigInteger.ONE;

  static CoopFixture f;
  static Credentials driverA, driverB, riderA, riderB, supporter, passenger;
  final Set<BigInteger> rides = new HashSet<>();

  @BeforeAll
  static void foundTheCoop(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    driverA = f.driver(0);
    driverB = f.driver(1);
    riderA = f.rider(0);
    riderB = f.rider(1);
    supporter = f.rider(2);
    passenger = f.rider(3); // not a member
    f.join(driverA, 0);
    f.join(driverB, 0);
    f.join(riderA, 1);
    f.join(riderB, 1);
    f.join(supporter, 2);
    f.chain.mine(1); // memberships are in the past of any later snapshot
  }

  @AfterEach
  void moneyInvariant() throws Exception {
    f.assertMoneyInvariant(f.devAddresses(), rides);
  }

  CoopGovernor governor(Credentials as) {
    return f.governor(as);
  }

  int state(BigInteger id) throws Exception {
    return governor(driverA).state(id).send().intValue();
  }

  /** Proposes, opens the vote, lets each voter vote, closes the vote; returns the id. */
  BigInteger vote(Proposal p, List<Credentials> forVoters, List<Credentials> againstVoters) throws Exception {
    p.propose(governor(driverA));
    BigInteger id = p.id(governor(driverA));
    assertThat(state(id)).isEqualTo(PENDING);
    f.chain.mine(f.config.votingDelayBlocks() + 1);
    assertThat(state(id)).isEqualTo(ACTIVE);
    for (Credentials c : forVoters) {
      governor(c).castVote(id, FOR).send();
    }
    for (Credentials c : againstVoters) {
      governor(c).castVote(id, AGAINST).send();
    }
    f.chain.mine(f.config.votingPeriodBlocks() + 1);
    return id;
  }

  void pass(Proposal p, BigInteger id) throws Exception {
    assertThat(state(id)).isEqualTo(SUCCEEDED);
    p.queue(governor(passenger));
    assertThat(state(id)).isEqualTo(QUEUED);
    assertRevert(() -> p.execute(governor(passenger)), "TimelockUnexpectedOperationState");
    f.chain.increaseTime(f.config.timelockDelaySeconds() + 1);
    p.execute(governor(passenger)); // anyone may execute
    assertThat(state(id)).isEqualTo(EXECUTED);
  }

  BigInteger book(Credentials rider) throws Exception {
    f.deposit(rider, 60_000_000L);
    BigInteger id = f.book(rider, driverA, 60_000_000L);
    rides.add(id);
    return id;
  }

  long settle(BigInteger rideId, Credentials rider) throws Exception {
    TripReceipt r = f.receipt(rideId, 8_000, 1_200);
    f.ledger(driverA).settle(ContractStructs.receipt(r), f.cosign(r, rider)).send();
    var settled = f.ledger(rider).rideOf(rideId).send();
    assertThat(settled.component6().intValue()).isEqualTo(4);
    return 60_000_000L - f.ledger(rider).walletOf(rider.getAddress()).send().component1().longValueExact();
  }

  @Test
  void aFareChangeAppliesToRidesBookedAfterItOnly() throws Exception {
    FareParams v1 = f.fareParams(1);
    FareParams v2 = new FareParams(2_000_000, 1_200_000, 300_000, 8_000_000, 500_000, 4_000_000, 180,
        1_000, 6_000, 2_000, 1_000, 1_000, 5_000);
    BigInteger before = book(passenger);

    Proposal p = Proposal.describedAs("Fare v2: 10 % commission, 1.20 EUR/km")
        .call(f.schedule(driverA), f.schedule(driverA).publish(ContractStructs.fareParams(v2)))
        .build();
    BigInteger id = vote(p, List.of(driverA, driverB, riderA, supporter), List.of(riderB));
    var weights = governor(driverA).proposalRules(id).send();
    assertThat(weights.component2()).isEqualTo(BigInteger.valueOf(f.config.quorumBps()));
    pass(p, id);

    assertThat(f.ledger(passenger).currentScheduleVersion().send()).isEqualTo(BigInteger.TWO);
    assertThat(f.fareParams(2)).isEqualTo(v2);
    BigInteger after = book(riderA);
    assertThat(f.ledger(passenger).rideOf(before).send().component5()).isEqualTo(BigInteger.ONE);
    assertThat(f.ledger(passenger).rideOf(after).send().component5()).isEqualTo(BigInteger.TWO);

    assertThat(settle(before, passenger)).as("booked under v1, settled under v1")
        .isEqualTo(Fare.of(v1, 8_000, 1_200));
    assertThat(settle(after, riderA)).as("booked under v2, settled under v2")
        .isEqualTo(Fare.of(v2, 8_000, 1_200));
  }

  @Test
  void aProposalTheMembersRejectIsDefeated() throws Exception {
    Proposal p = Proposal.describedAs("Raise the commission to 30 %")
        .call(f.schedule(driverA), f.schedule(driverA).publish(ContractStructs.fareParams(
            new FareParams(1_500_000, 1_050_000, 350_000, 7_000_000, 500_000, 5_000_000, 120, 3_000,
                6_000, 1_500, 1_500, 1_000, 5_000))))
        .build();
    BigInteger id = vote(p, List.of(riderA), List.of(driverA, driverB, riderB, supporter));
    assertThat(state(id)).isEqualTo(DEFEATED);
    assertRevert(() -> p.queue(governor(driverA)), "GovernorUnexpectedProposalState");
  }

  @Test
  void aMemberExcludedBeforeTheSnapshotCannotVote() throws Exception {
    Proposal exclusion = Proposal.describedAs("Exclude rider B for repeated fraud")
        .call(f.membership(driverA), f.membership(driverA).exclude(riderB.getAddress(), Hash.sha3("fraud".getBytes())))
        .build();
    BigInteger excl = vote(exclusion, List.of(driverA, driverB, riderA, supporter), List.of());
    pass(exclusion, excl);
    assertThat(f.membership(driverA).getVotes(riderB.getAddress()).send()).isZero();

    Proposal next = Proposal.describedAs("Elect a new dispute committee")
        .call(f.ledger(driverA), f.ledger(driverA).setDisputeCommittee(supporter.getAddress()))
        .build();
    next.propose(governor(driverA));
    BigInteger id = next.id(governor(driverA));
    f.chain.mine(f.config.votingDelayBlocks() + 1);
    assertRevert(() -> governor(riderB).castVote(id, FOR).send(), "GovernorNoVoteAtSnapshot");
    // Excluded accounts are barred from the ledger too.
    assertRevert(() -> f.deposit(riderB, 1_000_000L), "AccountBarred");
  }

  @Test
  void fundsAndRulesChangeOnlyByVote() throws Exception {
    // Earn some commission first.
    BigInteger ride = book(passenger);
    settle(ride, passenger);
    var funds = f.treasury(driverA).funds().send();
    BigInteger solidarity = funds.component2();
    BigInteger operations = funds.component3();
    Proposal p = Proposal.describedAs("Housekeeping: committee, timeouts, epochs, pay the funds")
        .call(f.ledger(driverA), f.ledger(driverA).setDisputeCommittee(supporter.getAddress()))
        .call(f.ledger(driverA), f.ledger(driverA).setTimeouts(BigInteger.valueOf(3 * 3_600), BigInteger.valueOf(48 * 3_600)))
        .call(f.treasury(driverA), f.treasury(driverA).setEpochLength(BigInteger.valueOf(30 * 86_400)))
        .call(f.treasury(driverA), f.treasury(driverA).payFromSolidarity(driverB.getAddress(), solidarity, new byte[32]))
        .call(f.treasury(driverA), f.treasury(driverA).payFromOperations(supporter.getAddress(), operations, new byte[32]))
        .build();
    pass(p, vote(p, List.of(driverA, driverB, riderA, riderB, supporter), List.of()));
    assertThat(f.ledger(driverA).disputeCommittee().send()).isEqualToIgnoringCase(supporter.getAddress());
    assertThat(f.ledger(driverA).bookingTimeout().send()).isEqualTo(BigInteger.valueOf(3 * 3_600));
    assertThat(f.treasury(driverA).epochLength().send()).isEqualTo(BigInteger.valueOf(30 * 86_400));
    assertThat(f.token(driverB).balanceOf(driverB.getAddress()).send()).isEqualTo(solidarity);
    assertThat(f.treasury(driverA).funds().send().component2()).isZero();
  }

  @Test
  void anInvalidRuleIsRefusedWhenExecuted() throws Exception {
    Proposal p = Proposal.describedAs("Pay more than the solidarity fund holds")
        .call(f.treasury(driverA), f.treasury(driverA).payFromSolidarity(driverB.getAddress(), BigInteger.TEN, new byte[32]))
        .build();
    BigInteger id = vote(p, List.of(driverA, driverB, riderA, riderB, supporter), List.of());
    p.queue(governor(passenger));
    f.chain.increaseTime(f.config.timelockDelaySeconds() + 1);
    assertRevert(() -> p.execute(governor(passenger)), "InsufficientFund");
    Proposal below = Proposal.describedAs("Reserve below the legal floor")
        .call(f.schedule(driverA), f.schedule(driverA).publish(ContractStructs.fareParams(
            new FareParams(1_500_000, 1_050_000, 350_000, 7_000_000, 500_000, 5_000_000, 120, 1_200,
                5_000, 2_500, 1_500, 1_000, 5_000))))
        .build();
    BigInteger id2 = vote(below, List.of(driverA, driverB, riderA, riderB, supporter), List.of());
    below.queue(governor(passenger));
    f.chain.increaseTime(f.config.timelockDelaySeconds() + 1);
    assertRevert(() -> below.execute(governor(passenger)), "ReserveBelowLegalFloor");
    assertThat(state(id)).isEqualTo(QUEUED);
    assertThat(state(id2)).isEqualTo(QUEUED);
  }
}
