package org.ridecoop.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.node.besu.BesuNetwork;
import org.ridecoop.node.permissions.AllowlistDiff;
import org.ridecoop.node.permissions.Allowlists;
import org.ridecoop.node.permissions.BesuPermissioning;
import org.ridecoop.node.permissions.MembershipAllowlist;
import org.ridecoop.node.permissions.PermissionsSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop permissions sync}: follows Membership and keeps each given Besu node's account and
 * node allowlists equal to the registered, non-excluded accounts and the usable registered nodes,
 * plus the network's validators and initial accounts (never removed).
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {"Keep Besu's allowlists equal to the membership (through perm_* JSON-RPC:",
        "the Besu nodes need PERM in --rpc-http-api and local permissioning files).",
        "Runs until stopped, syncing every --interval; --once syncs once and exits."})
final class PermissionsSyncCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(PermissionsSyncCommand.class);

  @Spec
  CommandSpec spec;

  @Option(names = "--rpc", required = true, paramLabel = "URL", description = "JSON-RPC URL of the chain to read Membership from.")
  String rpc;

  @Option(names = "--besu-rpc", required = true, paramLabel = "URL",
      description = "JSON-RPC URL of a Besu node whose allowlists to keep; repeatable (every node of the network).")
  List<String> besuRpc = new ArrayList<>();

  @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The deployment manifest.")
  Path manifest;

  @Option(names = "--network", required = true, paramLabel = "FILE",
      description = "network.json from `ridecoop chain genesis`: validators and initial accounts, always allowed.")
  Path network;

  @Option(names = "--applicants", paramLabel = "FILE",
      description = "Addresses (one a line, # comments) allowed before they register, so they can send their "
          + "own registration; each stays allowed unless excluded.")
  Path applicants;

  @Option(names = "--p2p-port", defaultValue = "30303", paramLabel = "PORT",
      description = "P2P port of registered nodes' Besu (default ${DEFAULT-VALUE}).")
  int p2pPort;

  @Option(names = "--interval", defaultValue = "5", paramLabel = "SECONDS",
      description = "Seconds between syncs (default ${DEFAULT-VALUE}).")
  int intervalSeconds;

  @Option(names = "--once", description = "Sync once and exit (exit code 1 if it failed).")
  boolean once;

  @Override
  public Integer call() throws Exception {
    if (intervalSeconds < 1) {
      throw CommandFailure.usage("--interval: must be at least 1 second, got " + intervalSeconds);
    }
    if (p2pPort < 1 || p2pPort > 65535) {
      throw CommandFailure.usage("--p2p-port: must be 1..65535, got " + p2pPort);
    }
    requireHttpUrl("--rpc", rpc);
    besuRpc.forEach(url -> requireHttpUrl("--besu-rpc", url));
    DeploymentManifest deployed = readManifest();
    BesuNetwork net = readNetwork();
    if (net.chainId() != deployed.chainId()) {
      throw CommandFailure.usage("--network: chain id " + net.chainId() + " but the manifest's is " + deployed.chainId());
    }
    List<String> permanentAccounts = new ArrayList<>(net.permanentAccounts());
    permanentAccounts.add(deployed.deployer());
    Allowlists permanent = Allowlists.of(permanentAccounts, net.permanentEnodes());

    Web3j web3j = Web3j.build(new HttpService(rpc));
    try {
      ChainAccess chain = new ChainAccess(web3j, deployed.chainId());
      List<BesuPermissioning> nodes = besuRpc.stream()
          .map(url -> new BesuPermissioning(new HttpService(url), url)).toList();
      PermissionsSync sync = new PermissionsSync(new MembershipAllowlist(chain, deployed, p2pPort, readApplicants()), permanent, nodes);
      PrintWriter out = spec.commandLine().getOut();
      if (once) {
        Map<String, AllowlistDiff> applied;
        try {
          applied = sync.syncOnce();
        } catch (IOException e) {
          throw new CommandFailure(RideCoopCommand.FAILURE, "sync failed: " + e.getMessage());
        }
        applied.forEach((node, diff) -> out.println(node + ": +" + (diff.addAccounts().size() + diff.addEnodes().size())
            + " -" + (diff.removeAccounts().size() + diff.removeEnodes().size())
            + (diff.isEmpty() ? " (already in sync)" : "")));
        out.flush();
        return 0;
      }
      LOG.info("permissions sync started chainId={} membership={} besuNodes={} intervalSeconds={}", deployed.chainId(),
          deployed.address("Membership"), besuRpc.size(), intervalSeconds);
      while (!Thread.currentThread().isInterrupted()) {
        try {
          sync.syncOnce();
        } catch (IOException | RuntimeException e) {
          // a node or the chain restarting: keep going, the next round finishes the work
          LOG.warn("permissions sync round failed, retrying in {} s: {}", intervalSeconds, e.getMessage());
        }
        try {
          Thread.sleep(Duration.ofSeconds(intervalSeconds));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return 0;
    } finally {
      web3j.shutdown();
    }
  }

  private static void requireHttpUrl(String option, String url) {
    try {
      URI u = URI.create(url);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw CommandFailure.usage(option + ": not an http(s) URL: " + url);
  }

  private DeploymentManifest readManifest() {
    if (!Files.isReadable(manifest)) {
      throw CommandFailure.usage("--manifest: cannot read " + manifest);
    }
    try {
      DeploymentManifest m = DeploymentManifest.read(manifest);
      m.address("Membership");
      return m;
    } catch (IOException | RuntimeException e) {
      throw CommandFailure.usage("--manifest: not a ridecoop deployment manifest: " + manifest + " (" + e.getMessage() + ")");
    }
  }

  private List<String> readApplicants() {
    if (applicants == null) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(applicants);
    } catch (IOException e) {
      throw CommandFailure.usage("--applicants: cannot read " + applicants);
    }
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceFirst("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      if (!org.web3j.crypto.WalletUtils.isValidAddress(line)) {
        throw CommandFailure.usage("--applicants: line " + (i + 1) + " of " + applicants + " is not an address: " + line);
      }
      addresses.add(line);
    }
    return addresses;
  }

  private BesuNetwork readNetwork() {
    if (!Files.isReadable(network)) {
      throw CommandFailure.usage("--network: cannot read " + network);
    }
    try {
      return BesuNetwork.read(network);
    } catch (IOException | RuntimeException e) {
      throw CommandFailure.usage("--network: not a network.json from `ridecoop chain genesis`: " + network
          + " (" + e.getMessage() + ")");
    }
  }
}
