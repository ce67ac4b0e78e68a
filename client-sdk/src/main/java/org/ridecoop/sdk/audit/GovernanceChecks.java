package org.ridecoop.sdk.audit;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.ridecoop.contracts.CoopGovernor;
import org.ridecoop.contracts.CoopTimelock;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.contracts.Treasury;
import org.ridecoop.deploy.DeploymentManifest;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * The governance checks: every change only governance may make traces to an executed proposal,
 * proposals run the governor's course through the timelock, and ballots come from members who
 * held a vote at the snapshot, one each.
 *
 * <p>A governance-only change (a fare version, a suspension, exclusion or reinstatement, a share
 * price, an epoch length, timeouts, the dispute committee, a solidarity or operations payout, a
 * governor setting, a role on the token or the timelock, a node removed by someone other than its
 * operator) is traced as follows: the event is turned
 * back into the call that makes it (e.g. {@code FareSchedulePublished(v, p)} into
 * {@code publish(p)}); the same transaction must hold the timelock's {@code CallExecuted} of that
 * exact call on the emitting contract, for an operation the governor queued for a proposal whose
 * {@code ProposalExecuted} is in that transaction too. Changes made by a contract's constructor
 * (its deployment transaction) are the initial settings and need no proposal.
 */
final class GovernanceChecks {
  /** Governor states (OpenZeppelin {@code IGovernor.ProposalState}). */
  private static final int SUCCEEDED = 4, QUEUED = 5;

  private final Web3j web3j;
  private final String governor, timelock, token;
  private final EventRouter router = new EventRouter();
  private final CoopGovernor governorCalls;
  private final CoopTimelock timelockCalls;
  private final CoopToken tokenCalls;
  private final Membership membershipCalls;
  private final FareSchedule scheduleCalls;
  private final Treasury treasuryCalls;
  private final RideLedger ledgerCalls;

  private final Map<BigInteger, ProposalBook> proposals = new LinkedHashMap<>();
  /** Timelock calls scheduled and executed, by transaction, then operation id. */
  private final Map<String, Map<String, List<Call>>> scheduledByTx = new LinkedHashMap<>();
  private final Map<String, Map<String, List<Call>>> executedByTx = new LinkedHashMap<>();
  private final Map<String, Long> scheduleDelay = new HashMap<>();
  private final Map<String, String> scheduleTx = new HashMap<>();
  private final Map<String, List<BigInteger>> queuedInTx = new LinkedHashMap<>();
  private final Map<String, List<BigInteger>> executedInTx = new LinkedHashMap<>();
  /** The timelock's minimum delay over time: block → seconds. */
  private final TreeMap<Long, Long> minDelay = new TreeMap<>();
  /** Member → block → holds a vote from that block on, by the membership events. */
  private final Map<String, TreeMap<Long, Boolean>> voting = new TreeMap<>();
  private final List<Ballot> ballots = new ArrayList<>();
  private final List<Change> changes = new ArrayList<>();

  private final Map<String, TransactionReceipt> receipts = new HashMap<>();
  private final Map<Long, Long> blockTimes = new HashMap<>();
  /** Changes found governed or initial, by log (tx hash + log index); filled by {@link #changes}. */
  private final Set<String> legitimate = new HashSet<>();

  GovernanceChecks(Web3j web3j, DeploymentManifest m) {
    this.web3j = web3j;
    governor = lower(m.address("CoopGovernor"));
    timelock = lower(m.address("CoopTimelock"));
    token = lower(m.address("CoopToken"));
    String membership = lower(m.address("Membership")), schedule = lower(m.address("FareSchedule"));
    String treasury = lower(m.address("Treasury")), ledger = lower(m.address("RideLedger"));
    // Read-only wrappers, used only to encode the calls that governance-only events stand for.
    var tx = new ReadonlyTransactionManager(web3j, "0x0000000000000000000000000000000000000000");
    var gas = new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO);
    governorCalls = CoopGovernor.load(governor, web3j, tx, gas);
    timelockCalls = CoopTimelock.load(timelock, web3j, tx, gas);
    tokenCalls = CoopToken.load(token, web3j, tx, gas);
    membershipCalls = Membership.load(membership, web3j, tx, gas);
    scheduleCalls = FareSchedule.load(schedule, web3j, tx, gas);
    treasuryCalls = Treasury.load(treasury, web3j, tx, gas);
    ledgerCalls = RideLedger.load(ledger, web3j, tx, gas);

    // ---- the governor's course
    router.on(governor, CoopGovernor.PROPOSALCREATED_EVENT, log -> {
      var e = CoopGovernor.getProposalCreatedEventFromLog(log);
      ProposalBook p = new ProposalBook(e.proposalId, log.getBlockNumber().longValueExact(),
          e.voteStart.longValueExact(), e.voteEnd.longValueExact());
      for (int i = 0; i < e.targets.size(); i++) {
        p.calls.add(new Call(lower(e.targets.get(i)), e.values.get(i), e.calldatas.get(i)));
      }
      proposals.put(e.proposalId, p);
    });
    router.on(governor, CoopGovernor.PROPOSALQUEUED_EVENT, log -> {
      var e = CoopGovernor.getProposalQueuedEventFromLog(log);
      ProposalBook p = proposal(e.proposalId);
      p.queuedTx = log.getTransactionHash();
      p.queuedBlock = log.getBlockNumber().longValueExact();
      p.eta = e.etaSeconds.longValueExact();
      queuedInTx.computeIfAbsent(log.getTransactionHash(), k -> new ArrayList<>()).add(e.proposalId);
    });
    router.on(governor, CoopGovernor.PROPOSALEXECUTED_EVENT, log -> {
      var e = CoopGovernor.getProposalExecutedEventFromLog(log);
      ProposalBook p = proposal(e.proposalId);
      p.executedTx = log.getTransactionHash();
      p.executedBlock = log.getBlockNumber().longValueExact();
      executedInTx.computeIfAbsent(log.getTransactionHash(), k -> new ArrayList<>()).add(e.proposalId);
    });
    router.on(governor, CoopGovernor.PROPOSALCANCELED_EVENT,
        log -> proposal(CoopGovernor.getProposalCanceledEventFromLog(log).proposalId).canceled = true);
    router.on(governor, CoopGovernor.VOTECAST_EVENT, log -> {
      var e = CoopGovernor.getVoteCastEventFromLog(log);
      ballots.add(new Ballot(e.proposalId, lower(e.voter), e.weight, log));
    });
    router.on(governor, CoopGovernor.VOTECASTWITHPARAMS_EVENT, log -> {
      var e = CoopGovernor.getVoteCastWithParamsEventFromLog(log);
      ballots.add(new Ballot(e.proposalId, lower(e.voter), e.weight, log));
    });

    // ---- the timelock
    router.on(timelock, CoopTimelock.CALLSCHEDULED_EVENT, log -> {
      var e = CoopTimelock.getCallScheduledEventFromLog(log);
      String op = Numeric.toHexString(e.id);
      scheduledByTx.computeIfAbsent(log.getTransactionHash(), k -> new LinkedHashMap<>())
          .computeIfAbsent(op, k -> new ArrayList<>()).add(new Call(lower(e.target), e.value, e.data));
      scheduleDelay.put(op, e.delay.longValueExact());
      scheduleTx.put(op, log.getTransactionHash());
    });
    router.on(timelock, CoopTimelock.CALLEXECUTED_EVENT, log -> {
      var e = CoopTimelock.getCallExecutedEventFromLog(log);
      executedByTx.computeIfAbsent(log.getTransactionHash(), k -> new LinkedHashMap<>())
          .computeIfAbsent(Numeric.toHexString(e.id), k -> new ArrayList<>()).add(new Call(lower(e.target), e.value, e.data));
    });
    router.on(timelock, CoopTimelock.MINDELAYCHANGE_EVENT, log -> {
      var e = CoopTimelock.getMinDelayChangeEventFromLog(log);
      minDelay.put(log.getBlockNumber().longValueExact(), e.newDuration.longValueExact());
      change(log, "timelock delay set to " + e.newDuration + " s", timelockCalls.updateDelay(e.newDuration));
    });
    roles(timelock, "timelock", CoopTimelock.ROLEGRANTED_EVENT, CoopTimelock.ROLEREVOKED_EVENT, timelockCalls::grantRole,
        timelockCalls::revokeRole);
    roles(token, "token", CoopToken.ROLEGRANTED_EVENT, CoopToken.ROLEREVOKED_EVENT, tokenCalls::grantRole,
        tokenCalls::revokeRole);

    // ---- governor settings (executed through the timelock like any proposal)
    router.on(governor, CoopGovernor.VOTINGDELAYSET_EVENT, log -> {
      var e = CoopGovernor.getVotingDelaySetEventFromLog(log);
      change(log, "voting delay set to " + e.newVotingDelay, governorCalls.setVotingDelay(e.newVotingDelay));
    });
    router.on(governor, CoopGovernor.VOTINGPERIODSET_EVENT, log -> {
      var e = CoopGovernor.getVotingPeriodSetEventFromLog(log);
      change(log, "voting period set to " + e.newVotingPeriod, governorCalls.setVotingPeriod(e.newVotingPeriod));
    });
    router.on(governor, CoopGovernor.PROPOSALTHRESHOLDSET_EVENT, log -> {
      var e = CoopGovernor.getProposalThresholdSetEventFromLog(log);
      change(log, "proposal threshold set to " + e.newProposalThreshold,
          governorCalls.setProposalThreshold(e.newProposalThreshold));
    });
    router.on(governor, CoopGovernor.QUORUMBPSSET_EVENT, log -> {
      var e = CoopGovernor.getQuorumBpsSetEventFromLog(log);
      change(log, "quorum set to " + e.newQuorumBps + " bps", governorCalls.setQuorumBps(e.newQuorumBps));
    });
    router.on(governor, CoopGovernor.COLLEGEWEIGHTSSET_EVENT, log -> {
      var e = CoopGovernor.getCollegeWeightsSetEventFromLog(log);
      change(log, "college weights set to " + e.newWeightsBps, governorCalls.setCollegeWeights(e.newWeightsBps));
    });
    router.on(governor, CoopGovernor.TIMELOCKCHANGE_EVENT, log -> {
      var e = CoopGovernor.getTimelockChangeEventFromLog(log);
      change(log, "timelock changed to " + e.newTimelock, governorCalls.updateTimelock(e.newTimelock));
    });

    // ---- the governed contracts
    router.on(schedule, FareSchedule.FARESCHEDULEPUBLISHED_EVENT, log -> {
      var e = FareSchedule.getFareSchedulePublishedEventFromLog(log);
      change(log, "fare version " + e.version + " published", scheduleCalls.publish(e.params));
    });
    router.on(membership, Membership.MEMBERSUSPENDED_EVENT, log -> {
      var e = Membership.getMemberSuspendedEventFromLog(log);
      status(log, e.account, false);
      change(log, "member " + e.account + " suspended", membershipCalls.suspend(e.account, e.reasonHash));
    });
    router.on(membership, Membership.MEMBEREXCLUDED_EVENT, log -> {
      var e = Membership.getMemberExcludedEventFromLog(log);
      status(log, e.account, false);
      change(log, "member " + e.account + " excluded", membershipCalls.exclude(e.account, e.reasonHash));
    });
    router.on(membership, Membership.MEMBERREINSTATED_EVENT, log -> {
      var e = Membership.getMemberReinstatedEventFromLog(log);
      status(log, e.account, true);
      change(log, "member " + e.account + " reinstated", membershipCalls.reinstate(e.account, e.reasonHash));
    });
    router.on(membership, Membership.SHAREPRICECHANGED_EVENT, log -> {
      var e = Membership.getSharePriceChangedEventFromLog(log);
      change(log, "share price set to " + e.newPrice, membershipCalls.setSharePrice(e.newPrice));
    });
    router.on(membership, Membership.NODEREMOVED_EVENT, log -> {
      var e = Membership.getNodeRemovedEventFromLog(log);
      // Its operator may remove a node at will; anyone else removing it acts as governance.
      if (lower(e.removedBy).equals(lower(e.operator))) return;
      change(log, "node " + e.node + " removed by " + e.removedBy, membershipCalls.removeNode(e.node));
    });
    router.on(membership, Membership.MEMBERJOINED_EVENT,
        log -> status(log, Membership.getMemberJoinedEventFromLog(log).account, true));
    router.on(membership, Membership.LEAVEREQUESTED_EVENT,
        log -> status(log, Membership.getLeaveRequestedEventFromLog(log).account, false));
    router.on(membership, Membership.MEMBERLEFT_EVENT,
        log -> status(log, Membership.getMemberLeftEventFromLog(log).account, false));
    router.on(treasury, Treasury.EPOCHLENGTHCHANGED_EVENT, log -> {
      var e = Treasury.getEpochLengthChangedEventFromLog(log);
      change(log, "epoch length set to " + e.epochLength + " s", treasuryCalls.setEpochLength(e.epochLength));
    });
    router.on(treasury, Treasury.SOLIDARITYPAID_EVENT, log -> {
      var e = Treasury.getSolidarityPaidEventFromLog(log);
      change(log, "solidarity payout of " + TokenAmount.format(e.amount) + " to " + e.to,
          treasuryCalls.payFromSolidarity(e.to, e.amount, e.reasonHash));
    });
    router.on(treasury, Treasury.OPERATIONSPAID_EVENT, log -> {
      var e = Treasury.getOperationsPaidEventFromLog(log);
      change(log, "operations payout of " + TokenAmount.format(e.amount) + " to " + e.to,
          treasuryCalls.payFromOperations(e.to, e.amount, e.reasonHash));
    });
    router.on(ledger, RideLedger.TIMEOUTSCHANGED_EVENT, log -> {
      var e = RideLedger.getTimeoutsChangedEventFromLog(log);
      change(log, "timeouts set to " + e.bookingTimeout + "/" + e.disputeWindow + " s",
          ledgerCalls.setTimeouts(e.bookingTimeout, e.disputeWindow));
    });
    router.on(ledger, RideLedger.DISPUTECOMMITTEECHANGED_EVENT, log -> {
      var e = RideLedger.getDisputeCommitteeChangedEventFromLog(log);
      change(log, "dispute committee set to " + e.committee, ledgerCalls.setDisputeCommittee(e.committee));
    });
  }

  /** Feeds one replayed log (any contract; those not about governance are ignored). */
  void apply(Log log) {
    router.route(log);
  }

  /**
   * Whether the change {@code log} made was made by an executed proposal or at deployment; only
   * answers after {@link #changes()} ran.
   */
  boolean legitimate(Log log) {
    return legitimate.contains(key(log));
  }

  // ------------------------------------------------------------------ checks

  /** {@code governance.changes}: every governance-only change traces to an executed proposal. */
  AuditCheck changes() throws IOException {
    List<String> bad = new ArrayList<>();
    int governed = 0, initial = 0;
    for (Change c : changes) {
      String tx = c.log.getTransactionHash();
      if (executedByProposal(tx, c.target, c.calldata)) {
        governed++;
        legitimate.add(key(c.log));
      } else if (createdIn(tx, c.target)) {
        initial++;
        legitimate.add(key(c.log));
      } else {
        bad.add(c.what + " in tx " + tx + " (block " + c.log.getBlockNumber() + ") by no executed proposal");
      }
    }
    return new AuditCheck("governance.changes", "every governance-only change was made by an executed proposal",
        bad.isEmpty(), changes.size() + " governance-only change(s): " + governed + " by executed proposals, "
            + initial + " at deployment" + (bad.isEmpty() ? "" : ", " + bad.size() + " by no proposal") + AuditCheck.quote(bad));
  }

  /**
   * {@code governance.proposals}: each executed proposal succeeded, was queued in the timelock
   * with its own calls and at least the minimum delay, and ran after that delay; the timelock
   * schedules and executes nothing the governor did not queue and execute.
   */
  AuditCheck proposals() throws IOException {
    List<String> bad = new ArrayList<>();
    Map<BigInteger, String> opOf = new HashMap<>();
    Set<String> queuedOps = new HashSet<>();
    for (var tx : queuedInTx.entrySet()) {
      for (BigInteger pid : tx.getValue()) {
        ProposalBook p = proposals.get(pid);
        String op = matchingOp(scheduledByTx.get(tx.getKey()), p == null ? null : p.calls, queuedOps);
        if (op == null) {
          bad.add("proposal " + shortId(pid) + " queued in tx " + tx.getKey() + " without its calls scheduled in the timelock");
        } else {
          opOf.put(pid, op);
          queuedOps.add(op);
        }
      }
    }
    scheduledByTx.forEach((tx, ops) -> ops.keySet().stream().filter(op -> !queuedOps.contains(op))
        .forEach(op -> bad.add("timelock operation " + op.substring(0, 10) + " scheduled in tx " + tx + " for no governor proposal")));
    Set<String> executedOps = new HashSet<>();
    for (var tx : executedInTx.entrySet()) {
      Map<String, List<Call>> ran = executedByTx.getOrDefault(tx.getKey(), Map.of());
      for (BigInteger pid : tx.getValue()) {
        String op = opOf.get(pid);
        ProposalBook p = proposals.get(pid);
        if (op == null || p == null || !p.calls.equals(ran.get(op))) {
          bad.add("proposal " + shortId(pid) + " executed in tx " + tx.getKey() + " without the timelock running its calls");
        } else {
          executedOps.add(op);
        }
      }
    }
    executedByTx.forEach((tx, ops) -> ops.keySet().stream().filter(op -> !executedOps.contains(op))
        .forEach(op -> bad.add("timelock ran operation " + op.substring(0, 10) + " in tx " + tx + " for no executed proposal")));

    int executed = 0;
    for (ProposalBook p : proposals.values()) {
      if (p.executedTx == null) continue;
      executed++;
      String id = "proposal " + shortId(p.id);
      if (p.created < 0) {
        bad.add(id + " executed but never proposed");
        continue;
      }
      if (p.canceled) bad.add(id + " executed after being cancelled");
      if (p.queuedTx == null) {
        bad.add(id + " executed without being queued");
        continue;
      }
      if (p.queuedBlock <= p.voteEnd) bad.add(id + " queued in block " + p.queuedBlock + " before its vote ended (" + p.voteEnd + ")");
      bad.addAll(succeeded(p));
      long delay = minDelayAt(p.queuedBlock);
      String op = opOf.get(p.id);
      if (op != null && scheduleDelay.getOrDefault(op, 0L) < delay) {
        bad.add(id + " scheduled with " + scheduleDelay.get(op) + " s, below the timelock's " + delay + " s");
      }
      if (p.eta < blockTime(p.queuedBlock) + delay) bad.add(id + " eta " + p.eta + " earlier than queue time + " + delay + " s");
      long ranAt = blockTime(p.executedBlock);
      if (ranAt < p.eta) bad.add(id + " executed at " + ranAt + ", before its eta " + p.eta);
    }
    return new AuditCheck("governance.proposals",
        "proposals executed only after they succeeded, were queued and the timelock delay passed", bad.isEmpty(),
        proposals.size() + " proposal(s), " + queuedInTx.values().stream().mapToInt(List::size).sum() + " queued, "
            + executed + " executed; " + scheduledByTx.values().stream().mapToInt(Map::size).sum()
            + " timelock operation(s) scheduled, " + executedByTx.values().stream().mapToInt(Map::size).sum()
            + " executed" + AuditCheck.quote(bad));
  }

  /** {@code governance.ballots}: one ballot per member per proposal, each by a member voting at the snapshot. */
  AuditCheck ballots() {
    List<String> bad = new ArrayList<>();
    Set<String> cast = new HashSet<>();
    for (Ballot b : ballots) {
      String who = "ballot of " + b.voter + " on proposal " + shortId(b.proposal);
      if (!cast.add(b.proposal + "/" + b.voter)) bad.add("second " + who);
      ProposalBook p = proposals.get(b.proposal);
      if (p == null || p.created < 0) {
        bad.add(who + " for an unknown proposal");
        continue;
      }
      long block = b.log.getBlockNumber().longValueExact();
      if (block <= p.voteStart || block > p.voteEnd) {
        bad.add(who + " in block " + block + ", outside its vote (" + (p.voteStart + 1) + ".." + p.voteEnd + ")");
      }
      if (!votingAt(b.voter, p.voteStart)) bad.add(who + ": no vote at the snapshot (block " + p.voteStart + ")");
      if (!BigInteger.ONE.equals(b.weight)) bad.add(who + " weighs " + b.weight);
    }
    return new AuditCheck("governance.ballots", "ballots only from members voting at the snapshot, one per member",
        bad.isEmpty(), ballots.size() + " ballot(s) on " + ballots.stream().map(b -> b.proposal).distinct().count()
            + " proposal(s)" + AuditCheck.quote(bad));
  }

  // ------------------------------------------------------------------ tracing

  private boolean executedByProposal(String tx, String target, byte[] calldata) {
    if (!executedInTx.containsKey(tx)) return false;
    Map<String, List<Call>> ran = executedByTx.getOrDefault(tx, Map.of());
    for (BigInteger pid : executedInTx.get(tx)) {
      ProposalBook p = proposals.get(pid);
      if (p == null) continue;
      for (List<Call> calls : ran.values()) {
        if (!calls.equals(p.calls)) continue; // the operation the timelock ran is this proposal's
        for (Call c : calls) {
          if (c.target.equals(target) && Arrays.equals(c.data, calldata)) return true;
        }
      }
    }
    return false;
  }

  /** The operation among {@code ops} not yet taken whose calls are {@code calls}. */
  private static String matchingOp(Map<String, List<Call>> ops, List<Call> calls, Set<String> taken) {
    if (ops == null || calls == null) return null;
    for (var e : ops.entrySet()) {
      if (!taken.contains(e.getKey()) && e.getValue().equals(calls)) return e.getKey();
    }
    return null;
  }

  private boolean createdIn(String tx, String contract) throws IOException {
    TransactionReceipt r = receipts.get(tx);
    if (r == null) {
      r = web3j.ethGetTransactionReceipt(tx).send().getTransactionReceipt()
          .orElseThrow(() -> new IOException("no receipt for tx " + tx));
      receipts.put(tx, r);
    }
    return contract.equals(lower(r.getContractAddress()));
  }

  /**
   * The governor's own verdict on the vote, read at the block the proposal was queued in:
   * Queued there means quorum and success held (OpenZeppelin's {@code state} checks both before
   * answering Queued). A proposal queued and executed in one block (a zero delay) is read at the
   * block before, where it must be Succeeded.
   */
  private List<String> succeeded(ProposalBook p) throws IOException {
    boolean sameBlock = p.executedBlock == p.queuedBlock;
    long at = sameBlock ? p.queuedBlock - 1 : p.queuedBlock;
    int expected = sameBlock ? SUCCEEDED : QUEUED;
    CoopGovernor g = CoopGovernor.load(governor, web3j,
        new ReadonlyTransactionManager(web3j, "0x0000000000000000000000000000000000000000"),
        new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
    g.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(at)));
    int state;
    try {
      state = g.state(p.id).send().intValueExact();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("governor state of proposal " + shortId(p.id) + " at block " + at
          + " (an archive node is needed): " + e.getMessage(), e);
    }
    return state == expected ? List.of()
        : List.of("proposal " + shortId(p.id) + " in state " + state + " at block " + at + ", not "
            + (sameBlock ? "Succeeded" : "Queued") + ": the vote did not pass");
  }

  private long minDelayAt(long block) {
    var e = minDelay.floorEntry(block);
    return e == null ? 0 : e.getValue();
  }

  private long blockTime(long block) throws IOException {
    Long t = blockTimes.get(block);
    if (t == null) {
      t = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false).send()
          .getBlock().getTimestamp().longValueExact();
      blockTimes.put(block, t);
    }
    return t;
  }

  private boolean votingAt(String account, long block) {
    TreeMap<Long, Boolean> h = voting.get(account);
    if (h == null) return false;
    var e = h.floorEntry(block);
    return e != null && e.getValue();
  }

  // ------------------------------------------------------------------ recording

  private void change(Log log, String what, RemoteFunctionCall<?> call) {
    changes.add(new Change(what, log, lower(log.getAddress()), Numeric.hexStringToByteArray(call.encodeFunctionCall())));
  }

  private void status(Log log, String account, boolean votes) {
    voting.computeIfAbsent(lower(account), k -> new TreeMap<>()).put(log.getBlockNumber().longValueExact(), votes);
  }

  private interface RoleCall {
    RemoteFunctionCall<?> call(byte[] role, String account);
  }

  private void roles(String contract, String name, Event granted, Event revoked, RoleCall grant, RoleCall revoke) {
    router.on(contract, granted, log -> {
      // RoleGranted/RoleRevoked have the same layout on the token and the timelock (AccessControl).
      var e = CoopToken.getRoleGrantedEventFromLog(log);
      change(log, name + " role " + Numeric.toHexString(e.role).substring(0, 10) + " granted to " + e.account,
          grant.call(e.role, e.account));
    });
    router.on(contract, revoked, log -> {
      var e = CoopToken.getRoleRevokedEventFromLog(log);
      // Anyone may renounce its own role: that needs no vote.
      if (lower(e.sender).equals(lower(e.account))) return;
      change(log, name + " role " + Numeric.toHexString(e.role).substring(0, 10) + " revoked from " + e.account,
          revoke.call(e.role, e.account));
    });
  }

  private ProposalBook proposal(BigInteger id) {
    // An event for a proposal never created is itself a finding (created stays -1).
    return proposals.computeIfAbsent(id, k -> new ProposalBook(k, -1, 0, 0));
  }

  private static String key(Log log) {
    return log.getTransactionHash() + "/" + log.getLogIndex();
  }

  private static String shortId(BigInteger id) {
    String s = id.toString(16);
    return "0x" + (s.length() > 8 ? s.substring(0, 8) + "…" : s);
  }


  private static String lower(String address) {
    return address == null ? null : address.toLowerCase(Locale.ROOT);
  }

  /** One call of a proposal or a timelock operation. */
  private record Call(String target, BigInteger value, byte[] data) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Call c && target.equals(c.target) && value.equals(c.value) && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(target, value, Arrays.hashCode(data));
    }
  }

  /** A change only governance may make, with the call that makes it. */
  private record Change(String what, Log log, String target, byte[] calldata) {}

  private record Ballot(BigInteger proposal, String voter, BigInteger weight, Log log) {}

  /** A proposal as the governor's events tell it. */
  private static final class ProposalBook {
    final BigInteger id;
    final long created, voteStart, voteEnd;
    final List<Call> calls = new ArrayList<>();
    String queuedTx, executedTx;
    long queuedBlock, executedBlock, eta;
    boolean canceled;

    ProposalBook(BigInteger id, long created, long voteStart, long voteEnd) {
      this.id = id;
      this.created = created;
      this.voteStart = voteStart;
      this.voteEnd = voteEnd;
    }
  }
}
