package org.ridecoop.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.ridecoop.governance.College;
import org.ridecoop.sdk.member.Dividend;
import org.ridecoop.sdk.member.Member;
import org.ridecoop.sdk.member.MemberInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop member join|status|leave|claim}: a member's own dealings with the co-op, signed
 * with its key file. Exit codes: 0 done, 1 refused by the chain (the custom error and its meaning
 * printed), 2 bad usage.
 */
@Command(
    name = "member",
    mixinStandardHelpOptions = true,
    description = "Join a college, see your membership, leave, claim dividends.",
    subcommands = {MemberCommand.Join.class, MemberCommand.Status.class, MemberCommand.Leave.class,
        MemberCommand.Claim.class})
final class MemberCommand implements Runnable {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  static Member member(ChainAction action) {
    return Member.connect(action.session.access(), action.session.manifest(), action.session.key(action.environment()));
  }

  static JsonObject json(MemberInfo m) {
    return new JsonObject().put("address", m.address()).put("status", m.status().name())
        .put("college", m.college().map(Enum::name).orElse(null)).put("capital", m.capital().toString())
        .put("refundAt", m.refundAt()).put("votes", m.votes());
  }

  static String human(MemberInfo m) {
    return m.address() + ": " + m.status() + m.college().map(c -> " in the " + c + " college").orElse("")
        + ", capital " + m.capital() + (m.votes() ? ", holds a vote" : ", no vote")
        + (m.refundAt() == 0 ? "" : ", capital refundable from " + Instant.ofEpochSecond(m.refundAt()));
  }

  /** {@code member join --college C}. */
  @Command(name = "join", mixinStandardHelpOptions = true,
      description = "Buy the share (paid from the key's CoopToken with a permit) and join a college.")
  static final class Join extends ChainAction {
    @Option(names = "--college", required = true, paramLabel = "COLLEGE",
        description = "One of ${COMPLETION-CANDIDATES}.", converter = CollegeConverter.class)
    College college;

    @Override
    Result run() {
      Member m = member(this);
      String tx = m.join(college);
      MemberInfo info = m.status();
      return new Result("joined: " + human(info) + "\ntransaction " + tx, json(info).put("transactionHash", tx));
    }
  }

  /** {@code member status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "The key's status, college, capital and notice.")
  static final class Status extends ChainAction {
    @Override
    Result run() {
      MemberInfo info = member(this).status();
      return new Result(human(info), json(info));
    }
  }

  /** {@code member leave [--complete]}. */
  @Command(name = "leave", mixinStandardHelpOptions = true,
      description = {"Give notice of leaving (the vote is lost now); with --complete, once the notice is over,",
          "leave and get the share capital back."})
  static final class Leave extends ChainAction {
    @Option(names = "--complete", description = "Finish leaving after the notice period.")
    boolean complete;

    @Override
    Result run() {
      Member m = member(this);
      String tx = complete ? m.completeLeave() : m.requestLeave();
      MemberInfo info = m.status();
      return new Result((complete ? "left: " : "notice given: ") + human(info) + "\ntransaction " + tx,
          json(info).put("transactionHash", tx));
    }
  }

  /** {@code member claim [--epoch N | --list]}. */
  @Command(name = "claim", mixinStandardHelpOptions = true,
      description = "Claim patronage dividends: every closed epoch with something to claim, or one --epoch.")
  static final class Claim extends ChainAction {
    @Option(names = "--epoch", paramLabel = "N", description = "Claim this epoch only.")
    Long epoch;

    @Option(names = "--list", description = "Only list what is claimable.")
    boolean list;

    @Override
    Result run() {
      if (epoch != null && (list || epoch < 1)) {
        throw CommandFailure.usage(list ? "--epoch and --list exclude each other" : "--epoch must be >= 1");
      }
      Member m = member(this);
      List<Dividend> dividends = list ? m.claimable() : epoch != null ? List.of(m.claim(epoch)) : m.claimAll();
      BigInteger total = dividends.stream().map(Dividend::amount).reduce(BigInteger.ZERO, BigInteger::add);
      StringBuilder human = new StringBuilder();
      JsonArray items = new JsonArray();
      for (Dividend d : dividends) {
        human.append("epoch ").append(d.epoch()).append(": ").append(d.amount()).append('\n');
        items.add(new JsonObject().put("epoch", d.epoch()).put("amount", d.amount().toString()));
      }
      human.append(list ? "claimable: " : "claimed: ").append(total).append(" in ").append(dividends.size())
          .append(dividends.size() == 1 ? " epoch" : " epochs");
      return new Result(human.toString(), new JsonObject().put(list ? "claimable" : "claimed", items)
          .put("total", total.toString()));
    }
  }

  /** Reads a college by name, any case. */
  static final class CollegeConverter implements CommandLine.ITypeConverter<College> {
    @Override
    public College convert(String value) {
      try {
        return College.valueOf(value.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("not a college: " + value + " (drivers, riders or supporters)");
      }
    }
  }
}
