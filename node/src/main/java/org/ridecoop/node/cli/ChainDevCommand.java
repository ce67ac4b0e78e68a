package org.ridecoop.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop chain dev}: a local development chain a standalone node can start against.
 * Starts Anvil on a fixed loopback port, deploys the contracts, makes each {@code --driver-key} a
 * driver member with its own key, writes the manifest (and, for one key, a node config) into the
 * data directory, prints what a user needs next and runs until SIGINT or SIGTERM.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {"Start a local dev chain (Anvil on 127.0.0.1), deploy the contracts",
        "and make each --driver-key a member of the drivers' college.",
        "Writes DIR/manifest.json and, with exactly one --driver-key, DIR/node.yaml",
        "for `ridecoop node start`. Runs until Ctrl-C (SIGINT) or SIGTERM.",
        "The chain state is kept: Anvil saves it to DIR/anvil-state.json, so the",
        "same --data-dir later continues the same chain, contracts and members.",
        "The deployer, on-ramp and dispute committee are Anvil's public dev accounts:",
        "never hold real value on this chain."})
final class ChainDevCommand implements Callable<Integer> {

  /** The Paris service area written into node.yaml: central Paris and its six neighbours, H3 resolution 7. */
  static final List<String> PARIS = List.of("871fb4662ffffff", "871fb4675ffffff", "871fb4671ffffff",
      "871fb4644ffffff", "871fb4663ffffff", "871fb4660ffffff", "871fb4666ffffff");


  @ParentCommand
  ChainCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "8545", paramLabel = "PORT",
      description = "The chain's JSON-RPC port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "dev-chain", paramLabel = "DIR",
      description = "Where the chain state, manifest and node config are kept (default ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--driver-key", paramLabel = "FILE",
      description = "A node key (web3j wallet file, as `ridecoop node keygen` writes) to make a driver member; repeatable.")
  List<Path> driverKeys = new ArrayList<>();

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  PasswordSource password;

  @Option(names = "--node-http-port", defaultValue = "8080", paramLabel = "PORT",
      description = "The HTTP port written into node.yaml (default ${DEFAULT-VALUE}).")
  int nodeHttpPort;

  @Override
  public Integer call() throws Exception {
    if (port < 1 || port > 65535) {
      throw CommandFailure.usage("--port: must be 1..65535, got " + port);
    }
    if (nodeHttpPort < 1 || nodeHttpPort > 65535) {
      throw CommandFailure.usage("--node-http-port: must be 1..65535, got " + nodeHttpPort);
    }
    List<Credentials> drivers = driverKeys();
    requireFreePort(port);
    PrintWriter out = spec.commandLine().getOut();
    // Opened before Anvil starts, so a signal at any point stops it; closed after the chain has
    // stopped (resources close in reverse order), so Anvil writes its state file before the JVM exits.
    try (StopSignal stop = new StopSignal("ridecoop-chain-shutdown");
        DevChain dev = DevChain.start(port, dataDir)) {
      out.println("chain:    Anvil " + dev.chain().rpcUrl() + " (chain id " + dev.chain().chainId() + "), state "
          + dataDir.resolve(DevChain.STATE_FILE));
      out.println("manifest: " + dataDir.resolve(DevChain.MANIFEST_FILE) + " ("
          + (dev.deployedNow() ? "contracts deployed from block " + dev.manifest().deploymentBlock()
              : "contracts restored from the state file") + ")");
      for (Credentials driver : drivers) {
        boolean joined = dev.joinAsDriver(driver);
        out.println("driver:   " + Keys.toChecksumAddress(driver.getAddress())
            + (joined ? " joined the drivers' college (share paid through the on-ramp)" : " already a driver member"));
      }
      if (drivers.size() == 1) {
        Path config = writeNodeConfig(dev.chain().rpcUrl());
        out.println("config:   " + config);
        out.println("next:     ./ridecoop node start --config " + config);
      } else {
        out.println("next:     write a node.yaml per node (chain.rpcUrl " + dev.chain().rpcUrl() + ", chain.manifest "
            + dataDir.resolve(DevChain.MANIFEST_FILE) + "), then ./ridecoop node start --config node.yaml");
      }
      out.println("running:  Ctrl-C stops the chain");
      out.flush();
      stop.await();
    }
    return 0;
  }

  private List<Credentials> driverKeys() {
    if (driverKeys.isEmpty()) {
      if (password != null) {
        throw CommandFailure.usage("--password-file/--password-env: given without --driver-key");
      }
      return List.of();
    }
    if (password == null) {
      throw CommandFailure.usage("--driver-key: needs --password-file FILE or --password-env VAR for the key's password");
    }
    String pw = password();
    List<Credentials> keys = new ArrayList<>();
    for (Path key : driverKeys) {
      keys.add(WalletKeyOption.load("--driver-key", key, pw));
    }
    return keys;
  }

  private String password() {
    return password.read(parent.root.environment());
  }

  // Anvil would only report a taken port after retries and with its whole output; say it in one line first.
  static void requireFreePort(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      probe.setReuseAddress(true);
    } catch (IOException e) {
      throw CommandFailure.usage("--port: 127.0.0.1:" + port + " is in use (another chain or program); choose another port");
    }
  }

  /** node.yaml beside the manifest; relative paths in it are resolved against its directory. */
  private Path writeNodeConfig(String rpcUrl) throws IOException {
    String keystore = "  file: " + quoted(driverKeys.get(0).toAbsolutePath()) + "\n" + (password.file != null
        ? "  passwordFile: " + quoted(password.file.toAbsolutePath()) + "\n"
        : "  passwordEnv: " + password.variable + "\n");
    String yaml = """
        # Written by `ridecoop chain dev`: a node for the dev chain at %1$s.
        chain:
          rpcUrl: %1$s
          manifest: %2$s
          pollMillis: 20            # Anvil mines each transaction at once
        keystore:
        %3$shttp:
          host: 127.0.0.1
          port: %4$d
        dataDir: node-data
        node:
          endpoint: http://127.0.0.1:%4$d
          serviceArea: [%5$s]   # Paris
        """.formatted(rpcUrl, DevChain.MANIFEST_FILE, keystore, nodeHttpPort, String.join(", ", PARIS));
    return Files.writeString(dataDir.resolve("node.yaml"), yaml);
  }

  private static String quoted(Path p) {
    return "'" + p.toString().replace("'", "''") + "'";
  }
}
