package org.ridecoop.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.sdk.audit.AuditReport;
import org.ridecoop.sdk.audit.Auditor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop audit --rpc URL --manifest FILE}: replays the deployment's history and checks
 * every rule. Prints the report on standard output, progress on standard error.
 *
 * <p>Exit codes: 0 every check passed; 1 a check failed (or the chain could not be read); 2 bad
 * usage (missing or unreadable manifest).
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {"Check that every fare, payout, dividend and vote followed the co-op's rules.",
        "Read-only: needs only an RPC URL and the deployment manifest.",
        "Exit code 0 when every check passes, 1 when one fails, 2 on bad usage."})
final class AuditCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--rpc", required = true, paramLabel = "URL", description = "JSON-RPC endpoint of the chain.")
  String rpc;

  @Option(names = "--manifest", required = true, paramLabel = "FILE",
      description = "The deployment manifest (manifest.json written by the deployer).")
  Path manifestFile;

  @Override
  public Integer call() throws Exception {
    DeploymentManifest manifest = ManifestOption.read(manifestFile);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AuditReport report;
    try (Auditor auditor = Auditor.connect(rpc, manifest, line -> {
      err.println(line);
      err.flush();
    })) {
      report = auditor.run();
    } catch (IOException e) {
      throw new CommandFailure(RideCoopCommand.FAILURE, "cannot read the chain at " + rpc + ": " + e.getMessage());
    }
    out.println(report.summary());
    out.flush();
    return report.passed() ? 0 : RideCoopCommand.FAILURE;
  }
}
