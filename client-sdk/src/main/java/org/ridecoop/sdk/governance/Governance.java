package org.ridecoop.sdk.governance;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.Membership;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.fare.FareParams;
import org.ridecoop.governance.BallotSigner;
import org.ridecoop.governance.Proposal;
import org.ridecoop.governance.ProposalState;
import org.ridecoop.governance.Support;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.sdk.ChainCalls;
import org.ridecoop.sdk.ChainRefusedException;
import org.ridecoop.sdk.RideCoopException;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The co-op's governance: building proposals, proposing, voting (directly, or by a signed ballot
 * relayed through a node), queueing and executing, and reading proposals back from the chain.
 * Methods that send take the acting member's key; each blocks until its transaction is mined.
 *
 * <pre>{@code
 * Governance gov = coop.governance();
 * Proposal p = gov.commissionSplit(6_000, 2_000, 1_000, 1_000, "More for the solidarity fund");
 * BigInteger id = gov.propose(alice, p);
 * // once the voting delay has passed:
 * gov.voteBySignature(bob, id, Support.FOR);   // relayed by a node: bob pays no gas
 * gov.castVote(alice, id, Support.FOR);        // sent by alice
 * // once the vote has closed, and again after the timelock delay:
 * gov.queue(alice, id);
 * gov.execute(alice, id);
 * }</pre>
 *
 * <p>A revert is thrown as {@link ChainRefusedException} with the governor's custom error (e.g.
 * {@code GovernorUnexpectedProposalState}, {@code GovernorAlreadyCastVote}, {@code
 * GovernorNoVoteAtSnapshot}); queueing or executing too early as {@link ProposalNotReadyException}
 * naming the state and the timelock's eta, before anything is sent.
 */
public final class Governance {
  /** Blocks per eth_getLogs request, within what public RPC endpoints accept. */
  private static final long LOG_RANGE = 2_000;

  private final ChainAccess chain;
  private final DeploymentManifest manifest;
  private final BallotRelay relay;
  private final CoopGovernor governor;
  private final FareSchedule schedule;
  private final Membership membership;
  private final BallotSigner ballots;

  private Governance(ChainAccess chain, DeploymentManifest manifest, BallotRelay relay) {
    this.chain = chain;
    this.manifest = manifest;
    this.relay = relay;
    this.governor = governor(chain.readOnly());
    this.schedule = FareSchedule.load(manifest.address("FareSchedule"), chain.web3j(), chain.readOnly(),
        chain.gasProvider());
    this.membership = Membership.load(manifest.address("Membership"), chain.web3j(), chain.readOnly(),
        chain.gasProvider());
    this.ballots = BallotSigner.forGovernor(manifest.chainId(), manifest.address("CoopGovernor"));
  }

  /**
   * The governance of the deployment {@code manifest} reached through {@code chain}; signed ballots
   * go to {@code relay} ({@code RideCoop.governance()} relays them through its nodes), or cannot be
   * relayed when it is null.
   */
  public static Governance connect(ChainAccess chain, DeploymentManifest manifest, BallotRelay relay) {
    return new Governance(chain, manifest, relay);
  }

  // ------------------------------------------------------------------ building proposals

  /** The fare parameters of the current schedule version. */
  public FareParams currentFare() {
    return ChainCalls.call("read the current fare schedule", () -> ContractStructs.fareParams(
        schedule.params(schedule.currentVersion().send()).send()));
  }

  /** The current fare schedule version. */
  public int currentFareVersion() {
    return ChainCalls.call("read the current fare version", () -> schedule.currentVersion().send().intValueExact());
  }

  /**
   * A proposal to publish {@code params} as the next {@code FareSchedule} version (rides booked
   * after it executes use it; rides booked before keep theirs).
   */
  public Proposal fareChange(FareParams params, String description) {
    return Proposal.describedAs(description)
        .call(schedule, schedule.publish(ContractStructs.fareParams(params))).build();
  }

  /**
   * A proposal to split the commission differently from the current fare version on (a new
   * schedule version with the other parameters unchanged). The four shares are basis points of
   * the commission and must add up to 10,000; the reserve's share may not go below the legal floor
   * (the contract refuses it when the proposal executes, {@code ReserveBelowLegalFloor}).
   */
  public Proposal commissionSplit(int reserveBps, int solidarityBps, int operationsBps, int dividendBps,
      String description) {
    if (reserveBps + solidarityBps + operationsBps + dividendBps != 10_000) {
      throw new IllegalArgumentException("the commission shares add up to "
          + (reserveBps + solidarityBps + operationsBps + dividendBps) + " bps, not 10000");
    }
    FareParams p = currentFare();
    return fareChange(new FareParams(p.baseFare(), p.perKm(), p.perMinute(), p.minimumFare(), p.bookingFee(),
        p.cancellationFee(), p.cancellationGraceSeconds(), p.commissionBps(), reserveBps, solidarityBps,
        operationsBps, dividendBps, p.riderPatronageBps()), description);
  }

  /**
   * A proposal to exclude {@code member} for good. Only the hash of the reason goes on chain (the
   * reason itself stays with the members); the description is public.
   */
  public Proposal exclusion(String member, byte[] reasonHash, String description) {
    return Proposal.describedAs(description).call(membership, membership.exclude(member, reasonHash)).build();
  }

  /** A proposal to suspend {@code member} (no vote, no rides) until a vote reinstates it. */
  public Proposal suspension(String member, byte[] reasonHash, String description) {
    return Proposal.describedAs(description).call(membership, membership.suspend(member, reasonHash)).build();
  }

  // ------------------------------------------------------------------ proposing

  /**
   * Proposes {@code proposal}; the proposer must hold a vote.
   *
   * @return the proposal id
   * @throws ChainRefusedException e.g. {@code GovernorInsufficientProposerVotes} for a proposer
   *     without a vote
   */
  public BigInteger propose(Credentials proposer, Proposal proposal) {
    return ChainCalls.call("propose \"" + proposal.description() + "\"", () -> {
      proposal.propose(governor(proposer));
      return proposal.id(governor);
    });
  }

  /** Proposes arbitrary calls: {@code targets[i]} gets {@code calldatas[i]} with {@code values[i]} wei. */
  public BigInteger propose(Credentials proposer, List<String> targets, List<BigInteger> values,
      List<byte[]> calldatas, String description) {
    return propose(proposer, new Proposal(targets, values, calldatas, description));
  }

  // ------------------------------------------------------------------ reading

  /** Where proposal {@code id} stands. */
  public ProposalState state(BigInteger id) {
    return ChainCalls.call("read the state of proposal " + id,
        () -> ProposalState.ofId(governor.state(id).send().longValueExact()));
  }

  /** Every proposal made on this deployment, oldest first, with its state and count. */
  public List<ProposalInfo> proposals() {
    return ChainCalls.call("list the proposals", () -> {
      List<ProposalInfo> all = new ArrayList<>();
      for (CoopGovernor.ProposalCreatedEventResponse e : created()) {
        all.add(info(e));
      }
      return all;
    });
  }

  /** Proposal {@code id}, or empty when no such proposal was made. */
  public Optional<ProposalInfo> proposal(BigInteger id) {
    return ChainCalls.call("read proposal " + id, () -> {
      for (CoopGovernor.ProposalCreatedEventResponse e : created()) {
        if (e.proposalId.equals(id)) {
          return Optional.of(info(e));
        }
      }
      return Optional.empty();
    });
  }

  // ------------------------------------------------------------------ voting

  /**
   * Votes on proposal {@code id} with a transaction sent (and paid) by the voter.
   *
   * @return the transaction's hash
   * @throws ChainRefusedException e.g. {@code GovernorAlreadyCastVote} or {@code
   *     GovernorNoVoteAtSnapshot}
   */
  public String castVote(Credentials voter, BigInteger id, Support support) {
    return ChainCalls.call("vote " + support + " on proposal " + id,
        () -> governor(voter).castVote(id, support.idAsBigInteger()).send().getTransactionHash());
  }

  /** Signs the voter's EIP-712 ballot for its current governor nonce, for anyone to relay. */
  public SignedBallot signBallot(Credentials voter, BigInteger id, Support support) {
    return ChainCalls.call("sign a ballot on proposal " + id, () -> {
      BigInteger nonce = governor.nonces(voter.getAddress()).send();
      return new SignedBallot(id, support, voter.getAddress(), nonce, ballots.sign(id, support, nonce, voter));
    });
  }

  /**
   * Votes by a signed ballot relayed through a node, which pays the transaction.
   *
   * @return the hash of the node's {@code castVoteBySig} transaction
   * @throws org.ridecoop.sdk.NodeRefusedException when the node refuses the ballot (e.g. {@code
   *     already_voted}, {@code proposal_not_active}, {@code not_a_voter})
   * @throws IllegalStateException when this governance has no node to relay through
   */
  public String voteBySignature(Credentials voter, BigInteger id, Support support) {
    if (relay == null) {
      throw new IllegalStateException("no node to relay ballots through: connect with RideCoop.connect(nodes, ...)");
    }
    return relay.relay(signBallot(voter, id, support));
  }

  // ------------------------------------------------------------------ queue and execute

  /**
   * Queues proposal {@code id} in the timelock once it has passed.
   *
   * @return the transaction's hash
   * @throws ProposalNotReadyException unless the proposal is {@link ProposalState#SUCCEEDED}
   */
  public String queue(Credentials sender, BigInteger id) {
    ProposalInfo p = required(id);
    if (p.state() != ProposalState.SUCCEEDED) {
      throw new ProposalNotReadyException(id, p.state(), p.eta(), "proposal " + id + " is " + p.state()
          + "; only a SUCCEEDED proposal can be queued" + (p.state() == ProposalState.ACTIVE
              ? " (the vote is open until block " + p.deadline() + ")" : ""));
    }
    return ChainCalls.call("queue proposal " + id, () -> p.proposal().queue(governor(sender)).getTransactionHash());
  }

  /**
   * Executes proposal {@code id} once it is queued and the timelock delay is over (anyone may).
   *
   * @return the transaction's hash
   * @throws ProposalNotReadyException unless the proposal is {@link ProposalState#QUEUED} and its
   *     eta has passed on chain
   */
  public String execute(Credentials sender, BigInteger id) {
    ProposalInfo p = required(id);
    if (p.state() != ProposalState.QUEUED) {
      throw new ProposalNotReadyException(id, p.state(), p.eta(), "proposal " + id + " is " + p.state()
          + "; only a QUEUED proposal can be executed");
    }
    long now = ChainCalls.call("read the chain's time", this::latestBlockTime);
    if (now < p.eta()) {
      throw new ProposalNotReadyException(id, p.state(), p.eta(), "proposal " + id + " is QUEUED until its eta "
          + java.time.Instant.ofEpochSecond(p.eta()) + " (" + (p.eta() - now) + " s from the chain's latest block)");
    }
    return ChainCalls.call("execute proposal " + id, () -> p.proposal().execute(governor(sender)).getTransactionHash());
  }

  // ------------------------------------------------------------------ internals

  private ProposalInfo required(BigInteger id) {
    return proposal(id).orElseThrow(() -> new RideCoopException("no proposal " + id + " on this deployment"));
  }

  private ProposalInfo info(CoopGovernor.ProposalCreatedEventResponse e) throws Exception {
    BigInteger id = e.proposalId;
    ProposalState state = ProposalState.ofId(governor.state(id).send().longValueExact());
    var votes = governor.proposalVotes(id).send();
    long approval = 0;
    long turnout = 0;
    if (state != ProposalState.PENDING) { // the result reverts before the snapshot
      var result = governor.proposalResultBps(id).send();
      approval = result.component1().longValueExact();
      turnout = result.component2().longValueExact();
    }
    Proposal proposal = new Proposal(e.targets, e.values, e.calldatas, e.description);
    return new ProposalInfo(id, e.proposer, proposal, state, e.voteStart.longValueExact(),
        e.voteEnd.longValueExact(), governor.proposalEta(id).send().longValueExact(),
        votes.component2().longValueExact(), votes.component1().longValueExact(),
        votes.component3().longValueExact(), approval, turnout);
  }

  private List<CoopGovernor.ProposalCreatedEventResponse> created() throws IOException {
    String topic = EventEncoder.encode(CoopGovernor.PROPOSALCREATED_EVENT);
    long latest = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    List<CoopGovernor.ProposalCreatedEventResponse> events = new ArrayList<>();
    for (long from = manifest.deploymentBlock(); from <= latest; from += LOG_RANGE) {
      long to = Math.min(latest, from + LOG_RANGE - 1);
      EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
          DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), manifest.address("CoopGovernor"));
      filter.addSingleTopic(topic);
      EthLog logs = chain.web3j().ethGetLogs(filter).send();
      if (logs.hasError()) {
        throw new IOException("eth_getLogs " + from + ".." + to + ": " + logs.getError().getMessage());
      }
      for (EthLog.LogResult<?> r : logs.getLogs()) {
        events.add(CoopGovernor.getProposalCreatedEventFromLog((Log) r.get()));
      }
    }
    return events;
  }

  private long latestBlockTime() throws IOException {
    return chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
        .getTimestamp().longValueExact();
  }

  private CoopGovernor governor(Credentials as) {
    return governor(chain.transactionManager(as));
  }

  private CoopGovernor governor(org.web3j.tx.TransactionManager tm) {
    return CoopGovernor.load(manifest.address("CoopGovernor"), chain.web3j(), tm, chain.gasProvider());
  }
}
