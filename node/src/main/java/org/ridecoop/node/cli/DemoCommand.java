package org.ridecoop.node.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.PrintWriter;
import java.nio.file.Files;
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
 * audit passes, 1 when it fails. With {@code --keep} the chain stays up on a fixed port, its state
 * saved in the data directory, until Ctrl-C, so the audit and the SDK can be run on it.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {"Run the whole co-op on a local dev chain (Anvil) and audit it.",
        "Founds the co-op, simulates rides in Paris, runs a fare vote, pays dividends, prints the audit.",
        "With --keep the chain keeps running on 127.0.0.1:--port until Ctrl-C, its state saved to",
        "DIR/anvil-state.json; `ridecoop chain dev --data-dir DIR` continues it later."})
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

  @Option(names = "--keep",
      description = "Keep the chain running after the demo (on --port, state in DIR/anvil-state.json) until Ctrl-C.")
  boolean keep;

  @Option(names = "--port", defaultValue = "8545", paramLabel = "PORT",
      description = "The kept chain's JSON-RPC port on 127.0.0.1 (default ${DEFAULT-VALUE}; only with --keep).")
  int port;

  @Option(names = "--node-port", defaultValue = "8080", paramLabel = "PORT",
      description = "The first kept fleet node's HTTP port on 127.0.0.1, the next ones following "
          + "(default ${DEFAULT-VALUE}; only with --keep).")
  int nodePort;

  @Override
  public Integer call() throws Exception {
    if (drivers < 1 || drivers > 200 || riders < 1 || riders > 500) {
      throw CommandFailure.usage("--drivers must be 1..200 and --riders 1..500");
    }
    if (before < 1 || after < 1) {
      throw CommandFailure.usage("--windows-before and --windows-after must be at least 1");
    }
    if (keep) {
      requireNewKeptChain();
    } else if (spec.commandLine().getParseResult().hasMatchedOption("--node-port")) {
      throw CommandFailure.usage("--node-port: only with --keep (without it the demo's nodes take free ports)");
    } else if (spec.commandLine().getParseResult().hasMatchedOption("--port")) {
      throw CommandFailure.usage("--port: only with --keep (without it the demo's chain takes a free port and is discarded)");
    }
    PrintWriter out = spec.commandLine().getOut();
    // The demo tells its own story on standard output; the chain and deployer INFO logs would only
    // interleave with it. Warnings and errors still reach standard error.
    Logger chainLogs = (Logger) LoggerFactory.getLogger("org.ridecoop");
    Level level = chainLogs.getLevel();
    chainLogs.setLevel(Level.WARN);
    // Likewise the demo's fleet nodes' access log.
    Logger accessLog = (Logger) LoggerFactory.getLogger("ridecoop.access");
    Level accessLevel = accessLog.getLevel();
    accessLog.setLevel(Level.WARN);
    // Each fleet node in this JVM registers the JVM's gauges again: Micrometer warns, harmlessly.
    Logger meters = (Logger) LoggerFactory.getLogger("io.micrometer");
    Level metersLevel = meters.getLevel();
    meters.setLevel(Level.ERROR);
    try {
      Demo demo = new Demo(new Demo.Settings(drivers, riders, before, after, seed, dataDir,
          keep ? new Demo.Kept(port, dataDir.resolve(DevChain.STATE_FILE), nodePort) : null), out);
      AuditReport report = keep ? demo.run(DemoCommand::untilStopped) : demo.run();
      return report.passed() ? 0 : RideCoopCommand.FAILURE;
    } finally {
      chainLogs.setLevel(level);
      accessLog.setLevel(accessLevel);
      meters.setLevel(metersLevel);
    }
  }

  // A kept demo chain is a co-op with members, rides and a vote: a second demo must not found
  // another co-op inside it, and the next commands printed name one manifest.
  private void requireNewKeptChain() {
    if (port < 1 || port > 65535) {
      throw CommandFailure.usage("--port: must be 1..65535, got " + port);
    }
    Path state = dataDir.resolve(DevChain.STATE_FILE);
    if (Files.exists(state)) {
      throw CommandFailure.usage("--keep: " + state + " holds the chain of an earlier kept demo; continue it with "
          + "`ridecoop chain dev --data-dir " + dataDir + " --port " + port + "`, or remove " + dataDir
          + " (or give another --data-dir) to run a new demo");
    }
    ChainDevCommand.requireFreePort(port);
    if (nodePort < 1 || nodePort > 65535 - 2) {
      throw CommandFailure.usage("--node-port: must be 1..65533, got " + nodePort);
    }
    for (int p = nodePort; p < nodePort + Math.min(3, drivers); p++) ChainDevCommand.requireFreePort(p);
  }

  /**
   * Blocks until SIGINT/SIGTERM (or until the thread is interrupted, as a test does). The
   * shutdown hook waits until the demo has stopped Anvil, so Anvil writes its state file first.
   */
  private static void untilStopped(Runnable stopChain) {
    try (StopSignal stop = new StopSignal("ridecoop-demo-shutdown")) {
      try {
        stop.await();
      } finally {
        stopChain.run();
      }
    }
  }
}
