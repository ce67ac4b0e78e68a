package org.ridecoop.node.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ridecoop.node.demo.Demo;
import org.ridecoop.sdk.audit.AuditReport;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop demo}: a dev chain, the contracts, a co-op of drivers, riders and supporters in
 * Paris, rides matched and settled, a fare vote, dividends, and the audit. Exit code 0 when the
 * audit passes, 1 when it fails.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {"Run the whole co-op on a local dev chain (Anvil) and audit it.",
        "Founds the co-op, simulates rides in Paris, runs a fare vote, pays dividends, prints the audit."})
final class DemoCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--drivers", defaultValue = "8", description = "Driver members (default ${DEFAULT-VALUE}).")
  int drivers;

  @Option(names = "--riders", defaultValue = "12", description = "Rider members (default ${DEFAULT-VALUE}).")
  int riders;

  @Option(names = "--windows-before", defaultValue = "4",
      description = "Matching windows before the fare vote (default ${DEFAULT-VALUE}).")
  int before;

  @Option(names = "--windows-after", defaultValue = "2",
      description = "Matching windows after the fare vote (default ${DEFAULT-VALUE}).")
  int after;

  @Option(names = "--seed", defaultValue = "2026", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--data-dir", defaultValue = "demo-data", paramLabel = "DIR",
      description = "Where the deployment manifest is written (default ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (drivers < 1 || drivers > 200 || riders < 1 || riders > 500) {
      throw CommandFailure.usage("--drivers must be 1..200 and --riders 1..500");
    }
    if (before < 1 || after < 1) {
      throw CommandFailure.usage("--windows-before and --windows-after must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    // The demo tells its own story on standard output; the chain and deployer INFO logs would only
    // interleave with it. Warnings and errors still reach standard error.
    Logger chainLogs = (Logger) LoggerFactory.getLogger("org.ridecoop");
    Level level = chainLogs.getLevel();
    chainLogs.setLevel(Level.WARN);
    try {
      AuditReport report = new Demo(new Demo.Settings(drivers, riders, before, after, seed, dataDir), out).run();
      return report.passed() ? 0 : RideCoopCommand.FAILURE;
    } finally {
      chainLogs.setLevel(level);
    }
  }
}
