package org.ridecoop.node.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.sdk.ChainRefusedException;
import org.ridecoop.sdk.NodeRefusedException;
import org.ridecoop.sdk.RideCoop;
import org.ridecoop.sdk.RideCoopException;
import org.ridecoop.sdk.Rider;
import org.ridecoop.sdk.UnknownRideException;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every {@code ridecoop ride} command shares: where the network is (nodes, chain, manifest),
 * the rider's key (a web3j wallet file, as {@code ridecoop node keygen} writes, and its password
 * from a file or a variable), {@code --json}, and how the SDK's failures become messages and exit
 * codes: 2 for what the rider typed wrong (a bad amount, an unknown ride, a wrong key or password),
 * 1 for what a node or the chain refused or could not do (the node's JSON reason printed as given).
 *
 * <p>Everything goes through the SDK ({@link RideCoop#connect}); nothing here talks to a node or
 * the chain itself.
 */
abstract class RiderCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--node", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080", split = ",",
      description = "A node's base URL; repeat in order of preference (fail-over). Default: ${DEFAULT-VALUE}.")
  List<URI> nodes;

  @Option(names = "--rpc", paramLabel = "URL", defaultValue = "http://127.0.0.1:8545",
      description = "JSON-RPC endpoint of the chain. Default: ${DEFAULT-VALUE}.")
  URI rpc;

  @Option(names = "--manifest", paramLabel = "FILE", defaultValue = "dev-chain/manifest.json",
      description = "The deployment manifest. Default: ${DEFAULT-VALUE} (as `ridecoop chain dev` writes it).")
  Path manifestFile;

  @Option(names = "--key-file", required = true, paramLabel = "FILE",
      description = "The rider's key: a web3j wallet file (e.g. written by `ridecoop node keygen`).")
  Path keyFile;

  @ArgGroup(exclusive = true, multiplicity = "1")
  PasswordSource password;

  @Option(names = "--json", description = "Print results as JSON (one object per line).")
  boolean json;

  /** Does the command's work as {@code rider}; returns the exit code. */
  abstract int run(RideCoop coop, Rider rider) throws Exception;

  @Override
  public final Integer call() throws Exception {
    DeploymentManifest manifest = ManifestOption.read(manifestFile);
    Credentials key = key();
    for (URI node : nodes) {
      if (node.getScheme() == null || !node.getScheme().startsWith("http") || node.getHost() == null) {
        throw CommandFailure.usage("--node: not an http(s) URL: " + node);
      }
    }
    try (RideCoop coop = RideCoop.connect(nodes, rpc, manifest)) {
      return run(coop, coop.rider(key));
    } catch (IllegalArgumentException | UnknownRideException e) {
      throw CommandFailure.usage(e.getMessage());
    } catch (NodeRefusedException e) {
      JsonObject reason = new JsonObject().put("node", e.node().toString()).put("status", e.status())
          .put("error", e.error()).put("reason", e.reason());
      throw new CommandFailure(RideCoopCommand.FAILURE, "the node refused: " + reason.encode());
    } catch (ChainRefusedException e) {
      throw new CommandFailure(RideCoopCommand.FAILURE, e.getMessage());
    } catch (RideCoopException e) {
      throw new CommandFailure(RideCoopCommand.FAILURE, e.getMessage());
    }
  }

  /** Standard output, for results. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Prints {@code result} as one JSON line with {@code --json}, else {@code text}. */
  void print(JsonObject result, String text) {
    out().println(json ? result.encode() : text);
    out().flush();
  }

  /** Token base units as euros (6 decimals), exactly: {@code 12345678} → {@code 12.345678}. */
  static String euros(long units) {
    return BigDecimal.valueOf(units, 6).toPlainString() + " EUR";
  }

  private Credentials key() {
    if (!Files.isRegularFile(keyFile)) {
      throw CommandFailure.usage("--key-file: no such file: " + keyFile);
    }
    String pw = password.read(((RideCoopCommand) spec.root().userObject()).environment());
    try {
      return WalletUtils.loadCredentials(pw, keyFile.toFile());
    } catch (CipherException e) {
      throw CommandFailure.usage("--key-file: cannot decrypt " + keyFile + " with that password (" + e.getMessage() + ")");
    } catch (IOException | RuntimeException e) {
      throw CommandFailure.usage("--key-file: not a web3j wallet file: " + keyFile + " (" + e.getMessage() + ")");
    }
  }
}
