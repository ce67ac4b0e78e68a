package org.ridecoop.node.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.deploy.DeploymentManifest;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The options every member and governance command shares (a picocli mixin): the chain ({@code
 * --rpc}), the deployment ({@code --manifest}), the member's key ({@code --key-file}, a web3j
 * wallet file as {@code node keygen} writes, with {@code --password-file} or {@code
 * --password-env}) and {@code --json} for scripts.
 */
final class ChainSession implements AutoCloseable {

  @Option(names = "--rpc", required = true, paramLabel = "URL", description = "JSON-RPC endpoint of the chain.")
  URI rpc;

  @Option(names = "--manifest", required = true, paramLabel = "FILE",
      description = "The deployment manifest (manifest.json written by the deployer).")
  Path manifestFile;

  @Option(names = "--key-file", paramLabel = "FILE",
      description = "The member's key: an encrypted web3j wallet file (as `ridecoop node keygen` writes).")
  Path keyFile;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  PasswordSource password;

  @Option(names = "--json", description = "Print the result as one JSON object (for scripts).")
  boolean json;

  private Web3j web3j;
  private ChainAccess access;
  private DeploymentManifest manifest;

  /**
   * The deployment manifest.
   *
   * @throws CommandFailure usage error when the file is missing or not a manifest
   */
  DeploymentManifest manifest() {
    if (manifest == null) {
      manifest = ManifestOption.read(manifestFile);
    }
    return manifest;
  }

  /** The chain, for the manifest's chain id. */
  ChainAccess access() {
    if (access == null) {
      web3j = Web3j.build(new HttpService(rpc.toString()));
      access = new ChainAccess(web3j, manifest().chainId());
    }
    return access;
  }

  /**
   * The member's key, decrypted.
   *
   * @throws CommandFailure usage error when no key was given or it cannot be decrypted
   */
  Credentials key(Map<String, String> environment) {
    if (keyFile == null) {
      throw CommandFailure.usage("--key-file is required for this command");
    }
    if (password == null) {
      throw CommandFailure.usage("--key-file needs --password-file or --password-env");
    }
    if (!Files.isRegularFile(keyFile)) {
      throw CommandFailure.usage("--key-file: no such file: " + keyFile);
    }
    String pw = password.read(environment);
    try {
      return WalletUtils.loadCredentials(pw, keyFile.toFile());
    } catch (CipherException e) {
      throw CommandFailure.usage("--key-file: cannot decrypt " + keyFile + " with that password (" + e.getMessage() + ")");
    } catch (IOException | RuntimeException e) {
      throw CommandFailure.usage("--key-file: not a web3j wallet file: " + keyFile + " (" + e.getMessage() + ")");
    }
  }

  @Override
  public void close() {
    if (web3j != null) {
      web3j.shutdown();
    }
  }
}
