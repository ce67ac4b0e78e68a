package org.ridecoop.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.ridecoop.fare.FareParams;
import org.ridecoop.governance.Proposal;
import org.ridecoop.governance.Support;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.governance.Governance;
import org.ridecoop.sdk.governance.ProposalInfo;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop gov propose-fare|propose-exclusion|list|show|vote|queue|execute}: the members'
 * general assembly from the command line. Exit codes: 0 done, 1 refused (a revert prints the
 * custom error and its meaning; too early to queue or execute prints the state and the eta), 2 bad
 * usage.
 */
@Command(
    name = "gov",
    mixinStandardHelpOptions = true,
    description = "Propose, vote, queue and execute co-op decisions.",
    subcommands = {GovCommand.ProposeFare.class, GovCommand.ProposeExclusion.class, GovCommand.ListProposals.class,
        GovCommand.Show.class, GovCommand.Vote.class, GovCommand.Queue.class, GovCommand.Execute.class})
final class GovCommand implements Runnable {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  static Governance governance(ChainAction action) {
    return Governance.connect(action.session.access(), action.session.manifest(), null);
  }

  static ChainAction.Result proposed(Governance gov, BigInteger id, String what) {
    ProposalInfo p = gov.proposal(id).orElseThrow();
    return new ChainAction.Result("proposed " + what + "\nproposal " + id + " (" + p.state() + "; votes open after block "
        + p.snapshot() + ", close at block " + p.deadline() + ")", json(p));
  }

  static JsonObject json(ProposalInfo p) {
    JsonArray calls = new JsonArray();
    for (int i = 0; i < p.proposal().targets().size(); i++) {
      calls.add(new JsonObject().put("target", p.proposal().targets().get(i))
          .put("value", p.proposal().values().get(i).toString())
          .put("calldata", Numeric.toHexString(p.proposal().calldatas().get(i))));
    }
    return new JsonObject().put("id", p.id().toString()).put("proposer", p.proposer())
        .put("description", p.description()).put("state", p.state().name()).put("snapshot", p.snapshot())
        .put("deadline", p.deadline()).put("eta", p.eta()).put("for", p.forVotes()).put("against", p.againstVotes())
        .put("abstain", p.abstainVotes()).put("approvalBps", p.approvalBps()).put("turnoutBps", p.turnoutBps())
        .put("calls", calls);
  }

  static String line(ProposalInfo p) {
    return p.id() + "  " + p.state() + "  for " + p.forVotes() + " against " + p.againstVotes() + " abstain "
        + p.abstainVotes() + "  \"" + p.description() + "\"";
  }

  static BigInteger proposalId(String value) {
    if (!value.matches("[0-9]{1,78}")) {
      throw CommandFailure.usage("PROPOSAL: not a decimal proposal id: " + value);
    }
    return new BigInteger(value);
  }

  /** {@code gov propose-fare --description D [--base-fare N ...]}. */
  @Command(name = "propose-fare", mixinStandardHelpOptions = true,
      description = {"Propose a new fare schedule version: the current one with the given changes.",
          "Amounts are CoopToken base units (1000000 = 1 EUR); shares are basis points."})
  static final class ProposeFare extends ChainAction {
    @Option(names = "--description", required = true, paramLabel = "TEXT", description = "What members read.")
    String description;
    @Option(names = "--base-fare", paramLabel = "UNITS") Long baseFare;
    @Option(names = "--per-km", paramLabel = "UNITS") Long perKm;
    @Option(names = "--per-minute", paramLabel = "UNITS") Long perMinute;
    @Option(names = "--minimum-fare", paramLabel = "UNITS") Long minimumFare;
    @Option(names = "--booking-fee", paramLabel = "UNITS") Long bookingFee;
    @Option(names = "--cancellation-fee", paramLabel = "UNITS") Long cancellationFee;
    @Option(names = "--cancellation-grace", paramLabel = "SECONDS") Long cancellationGrace;
    @Option(names = "--commission-bps", paramLabel = "BPS") Integer commissionBps;
    @Option(names = "--reserve-bps", paramLabel = "BPS", description = "Commission split: reserve share.") Integer reserveBps;
    @Option(names = "--solidarity-bps", paramLabel = "BPS") Integer solidarityBps;
    @Option(names = "--operations-bps", paramLabel = "BPS") Integer operationsBps;
    @Option(names = "--dividend-bps", paramLabel = "BPS") Integer dividendBps;
    @Option(names = "--rider-patronage-bps", paramLabel = "BPS") Integer riderPatronageBps;

    @Override
    Result run() {
      for (Number n : java.util.Arrays.asList(baseFare, perKm, perMinute, minimumFare, bookingFee, cancellationFee,
          cancellationGrace, commissionBps, reserveBps, solidarityBps, operationsBps, dividendBps, riderPatronageBps)) {
        if (n != null && n.longValue() < 0) {
          throw CommandFailure.usage("fare parameters must be >= 0, got " + n);
        }
      }
      if (java.util.Arrays.asList(baseFare, perKm, perMinute, minimumFare, bookingFee, cancellationFee,
          cancellationGrace, commissionBps, reserveBps, solidarityBps, operationsBps, dividendBps, riderPatronageBps)
          .stream().allMatch(java.util.Objects::isNull)) {
        throw CommandFailure.usage("propose-fare needs at least one change (e.g. --base-fare 1600000)");
      }
      Credentials key = session.key(environment());
      Governance gov = governance(this);
      FareParams c = gov.currentFare();
      FareParams next = new FareParams(or(baseFare, c.baseFare()), or(perKm, c.perKm()), or(perMinute, c.perMinute()),
          or(minimumFare, c.minimumFare()), or(bookingFee, c.bookingFee()), or(cancellationFee, c.cancellationFee()),
          or(cancellationGrace, c.cancellationGraceSeconds()), or(commissionBps, c.commissionBps()),
          or(reserveBps, c.reserveBps()), or(solidarityBps, c.solidarityBps()), or(operationsBps, c.operationsBps()),
          or(dividendBps, c.dividendBps()), or(riderPatronageBps, c.riderPatronageBps()));
      int split = next.reserveBps() + next.solidarityBps() + next.operationsBps() + next.dividendBps();
      if (split != 10_000) {
        throw CommandFailure.usage("the commission split would add up to " + split + " bps; it must be 10000");
      }
      BigInteger id = gov.propose(key, gov.fareChange(next, description));
      return proposed(gov, id, "fare schedule version " + (gov.currentFareVersion() + 1) + ": " + next);
    }

    private static long or(Long v, long current) {
      return v == null ? current : v;
    }

    private static int or(Integer v, int current) {
      return v == null ? current : v;
    }
  }

  /** {@code gov propose-exclusion --member A --reason TEXT --description D [--suspend]}. */
  @Command(name = "propose-exclusion", mixinStandardHelpOptions = true,
      description = {"Propose to exclude (or, with --suspend, suspend) a member.",
          "Only the keccak256 of the reason goes on chain; keep the reason text with the members."})
  static final class ProposeExclusion extends ChainAction {
    @Option(names = "--member", required = true, paramLabel = "0x…") String member;
    @Option(names = "--reason", required = true, paramLabel = "TEXT",
        description = "Why; hashed, never sent to the chain.") String reason;
    @Option(names = "--description", required = true, paramLabel = "TEXT",
        description = "What members read (public: name no one's private matters).") String description;
    @Option(names = "--suspend", description = "Suspend instead of excluding (a later vote may reinstate).")
    boolean suspend;

    @Override
    Result run() {
      if (!member.matches("0x[0-9a-fA-F]{40}")) {
        throw CommandFailure.usage("--member: not a 0x address: " + member);
      }
      if (reason.isBlank()) {
        throw CommandFailure.usage("--reason must not be blank");
      }
      Credentials key = session.key(environment());
      Governance gov = governance(this);
      byte[] reasonHash = Hash.sha3(reason.getBytes(StandardCharsets.UTF_8));
      Proposal p = suspend ? gov.suspension(member, reasonHash, description) : gov.exclusion(member, reasonHash, description);
      BigInteger id = gov.propose(key, p);
      Result r = proposed(gov, id, (suspend ? "suspension of " : "exclusion of ") + member
          + " (reason hash " + Numeric.toHexString(reasonHash) + ")");
      return new Result(r.human(), r.json().put("reasonHash", Numeric.toHexString(reasonHash)));
    }
  }

  /** {@code gov list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every proposal, oldest first.")
  static final class ListProposals extends ChainAction {
    @Override
    Result run() {
      List<ProposalInfo> all = governance(this).proposals();
      JsonArray items = new JsonArray();
      StringBuilder human = new StringBuilder();
      for (ProposalInfo p : all) {
        items.add(json(p));
        human.append(line(p)).append('\n');
      }
      human.append(all.size()).append(all.size() == 1 ? " proposal" : " proposals");
      return new Result(human.toString(), new JsonObject().put("proposals", items));
    }
  }

  /** {@code gov show ID}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "One proposal: its calls, state and count.")
  static final class Show extends ChainAction {
    @Parameters(paramLabel = "PROPOSAL", description = "The proposal id (decimal).") String id;

    @Override
    Result run() {
      BigInteger pid = proposalId(id);
      ProposalInfo p = governance(this).proposal(pid)
          .orElseThrow(() -> new CommandFailure(RideCoopCommand.FAILURE, "no proposal " + pid + " on this deployment"));
      StringBuilder human = new StringBuilder(line(p)).append("\nproposer ").append(p.proposer())
          .append("\nvotes from block ").append(p.snapshot() + 1).append(" to ").append(p.deadline())
          .append("; weighted approval ").append(p.approvalBps()).append(" bps, turnout ").append(p.turnoutBps()).append(" bps");
      if (p.eta() != 0) {
        human.append("\nexecutable from ").append(Instant.ofEpochSecond(p.eta()));
      }
      for (int i = 0; i < p.proposal().targets().size(); i++) {
        human.append("\ncall ").append(p.proposal().targets().get(i)).append(' ')
            .append(Numeric.toHexString(p.proposal().calldatas().get(i)));
      }
      return new Result(human.toString(), json(p));
    }
  }

  /** {@code gov vote ID --support for|against|abstain [--via-node URL]}. */
  @Command(name = "vote", mixinStandardHelpOptions = true,
      description = {"Vote on a proposal: a transaction from the key, or with --via-node a signed ballot a node",
          "relays (the node pays the gas)."})
  static final class Vote extends ChainAction {
    @Parameters(paramLabel = "PROPOSAL", description = "The proposal id (decimal).") String id;
    @Option(names = "--support", required = true, paramLabel = "CHOICE", description = "for, against or abstain.")
    String support;
    @Option(names = "--via-node", paramLabel = "URL", description = "Relay a signed ballot through this node.")
    URI viaNode;

    @Override
    Result run() {
      BigInteger pid = proposalId(id);
      Support choice;
      try {
        choice = Support.valueOf(support.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw CommandFailure.usage("--support: " + support + " is not for, against or abstain");
      }
      Credentials key = session.key(environment());
      String tx;
      if (viaNode == null) {
        tx = governance(this).castVote(key, pid, choice);
      } else {
        try (RideCoop coop = RideCoop.connect(List.of(viaNode), session.rpc, session.manifest(),
            new RideCoop.Options(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(10)))) {
          tx = coop.governance().voteBySignature(key, pid, choice);
        }
      }
      return new Result("voted " + choice + " on proposal " + pid + (viaNode == null ? "" : " (relayed by " + viaNode + ")")
          + "\ntransaction " + tx, new JsonObject().put("proposalId", pid.toString()).put("support", choice.name())
          .put("voter", key.getAddress()).put("relayedBy", viaNode == null ? null : viaNode.toString())
          .put("transactionHash", tx));
    }
  }

  /** {@code gov queue ID}. */
  @Command(name = "queue", mixinStandardHelpOptions = true, description = "Queue a passed proposal in the timelock.")
  static final class Queue extends ChainAction {
    @Parameters(paramLabel = "PROPOSAL", description = "The proposal id (decimal).") String id;

    @Override
    Result run() {
      BigInteger pid = proposalId(id);
      Governance gov = governance(this);
      String tx = gov.queue(session.key(environment()), pid);
      ProposalInfo p = gov.proposal(pid).orElseThrow();
      return new Result("queued proposal " + pid + "; executable from " + Instant.ofEpochSecond(p.eta())
          + "\ntransaction " + tx, json(p).put("transactionHash", tx));
    }
  }

  /** {@code gov execute ID}. */
  @Command(name = "execute", mixinStandardHelpOptions = true,
      description = "Execute a queued proposal once the timelock delay is over.")
  static final class Execute extends ChainAction {
    @Parameters(paramLabel = "PROPOSAL", description = "The proposal id (decimal).") String id;

    @Override
    Result run() {
      BigInteger pid = proposalId(id);
      Governance gov = governance(this);
      String tx = gov.execute(session.key(environment()), pid);
      ProposalInfo p = gov.proposal(pid).orElseThrow();
      return new Result("executed proposal " + pid + "\ntransaction " + tx, json(p).put("transactionHash", tx));
    }
  }
}
