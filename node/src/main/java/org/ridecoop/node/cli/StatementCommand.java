package org.ridecoop.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.sdk.statement.Statement;
import org.ridecoop.sdk.statement.StatementCheck;
import org.ridecoop.sdk.statement.Statements;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop statement issue|verify}: a member's signed earnings statement for a period, and
 * its verification against the chain by anyone with an RPC URL (a tax office, a bank).
 */
@Command(
    name = "statement",
    mixinStandardHelpOptions = true,
    description = "Signed, chain-verifiable earnings statements.",
    subcommands = {StatementCommand.Issue.class, StatementCommand.Verify.class})
final class StatementCommand implements Runnable {

  @ParentCommand
  RideCoopCommand root;

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand: issue or verify");
  }

  /**
   * {@code ridecoop statement issue}: reads the member's lines for the period from the chain,
   * signs them with the node key and writes the JSON (and optionally the CSV).
   *
   * <p>Exit codes: 0 written; 1 the chain could not be read; 2 bad usage (dates, files, key).
   */
  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = {"Write a member's signed earnings statement for a period.",
          "Signed by the node key (a node registered in the co-op); nothing is written on failure."})
  static final class Issue implements Callable<Integer> {
    @ParentCommand
    StatementCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--member", required = true, paramLabel = "ADDRESS", description = "The member's address.")
    String member;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First day of the period (UTC).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last day of the period (UTC, inclusive).")
    String to;

    @Option(names = "--rpc", required = true, paramLabel = "URL", description = "JSON-RPC endpoint of the chain.")
    String rpc;

    @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The deployment manifest.")
    Path manifestFile;

    @Option(names = "--key-file", required = true, paramLabel = "FILE",
        description = "The node key (web3j wallet file) that signs the statement.")
    Path keyFile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PasswordSource password;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the JSON statement.")
    Path out;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the same lines as CSV here.")
    Path csv;

    @Override
    public Integer call() throws Exception {
      if (!member.matches("0x[0-9a-fA-F]{40}")) throw CommandFailure.usage("--member: not an address: " + member);
      LocalDate first = date("--from", from), last = date("--to", to);
      if (last.isBefore(first)) throw CommandFailure.usage("--to " + last + " is before --from " + first);
      DeploymentManifest manifest = ManifestOption.read(manifestFile);
      Credentials key = WalletKeyOption.load("--key-file", keyFile, password.read(parent.root.environment()));
      Statement statement;
      try (Statements statements = Statements.connect(rpc, manifest)) {
        statement = statements.issue(member, first, last, key);
      } catch (IllegalArgumentException e) {
        throw CommandFailure.usage(e.getMessage());
      } catch (IOException e) {
        throw new CommandFailure(RideCoopCommand.FAILURE, "cannot read the chain at " + rpc + ": " + e.getMessage());
      }
      write(out, statement.toJson());
      if (csv != null) write(csv, statement.toCsv());
      PrintWriter o = spec.commandLine().getOut();
      o.println("statement of " + statement.member() + " for " + first + ".." + last + ": " + statement.lines().size()
          + " line(s), blocks " + statement.fromBlock() + ".." + statement.toBlock() + ", signed by " + statement.signer()
          + " -> " + out + (csv == null ? "" : " and " + csv));
      o.flush();
      return 0;
    }
  }

  /**
   * {@code ridecoop statement verify F.json}: recomputes the lines from the chain for the recorded
   * block range, checks the block hash, the signature and the signer.
   *
   * <p>Exit codes: 0 OK; 1 a difference (each printed) or the chain could not be read; 2 bad usage
   * or an unreadable statement file.
   */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Check a statement against the chain: its lines, totals, block hash, signature and signer.",
          "Prints OK or every difference. Exit code 0 OK, 1 mismatch, 2 bad usage or unreadable file."})
  static final class Verify implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STATEMENT.json", description = "The statement to check.")
    Path file;

    @Option(names = "--rpc", required = true, paramLabel = "URL", description = "JSON-RPC endpoint of the chain.")
    String rpc;

    @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The deployment manifest.")
    Path manifestFile;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(file)) throw CommandFailure.usage("no such file: " + file);
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CommandFailure.usage("cannot read " + file + ": " + e.getMessage());
      }
      Statement statement;
      try {
        statement = Statement.fromJson(text);
      } catch (RuntimeException e) {
        throw CommandFailure.usage(file + " is not a ridecoop statement: " + e.getMessage());
      }
      DeploymentManifest manifest = ManifestOption.read(manifestFile);
      List<String> differences = new ArrayList<>(statement.differencesFromCanonical(text));
      try (Statements statements = Statements.connect(rpc, manifest)) {
        StatementCheck check = statements.verify(statement);
        differences.addAll(check.differences());
      } catch (IOException e) {
        throw new CommandFailure(RideCoopCommand.FAILURE, "cannot read the chain at " + rpc + ": " + e.getMessage());
      }
      PrintWriter o = spec.commandLine().getOut();
      if (differences.isEmpty()) {
        o.println("OK: statement of " + statement.member() + " for " + statement.from() + ".." + statement.to() + ", "
            + statement.lines().size() + " line(s) match the chain at blocks " + statement.fromBlock() + ".."
            + statement.toBlock() + " (" + statement.toBlockHash() + "), signed by "
            + (statement.signer().equals(statement.member()) ? "the member" : "node " + statement.signer()));
      } else {
        o.println("MISMATCH: " + differences.size() + " difference(s) in " + file);
        differences.forEach(d -> o.println("  " + d));
      }
      o.flush();
      return differences.isEmpty() ? 0 : RideCoopCommand.FAILURE;
    }
  }

  private static LocalDate date(String option, String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw CommandFailure.usage(option + ": not a date (YYYY-MM-DD): " + text);
    }
  }

  // Written beside the target and moved into place, so a failure never leaves half a statement.
  private static void write(Path target, String text) throws IOException {
    Path abs = target.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".part");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
