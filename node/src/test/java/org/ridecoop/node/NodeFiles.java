package org.ridecoop.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ridecoop.deploy.DeploymentManifest;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

/**
 * Real files a node starts from, in a test's temp directory: a light-scrypt wallet, its password
 * file, a deployment manifest, and a valid {@code node.yaml} using relative paths.
 */
public final class NodeFiles {

  /** The wallet password. */
  public static final String PASSWORD = "correct horse battery staple";
  /** A valid resolution-9 H3 cell in central Paris, where the test riders are picked up. */
  public static final String CELL = "891fb466257ffff";

  public final Path dir;
  public final Path keyFile;
  public final Path passwordFile;
  public final Path manifest;
  public final String address;

  private NodeFiles(Path dir, Path keyFile, Path passwordFile, Path manifest, String address) {
    this.dir = dir;
    this.keyFile = keyFile;
    this.passwordFile = passwordFile;
    this.manifest = manifest;
    this.address = address;
  }

  /** Writes the key, password and manifest into {@code dir}. */
  public static NodeFiles create(Path dir) throws Exception {
    ECKeyPair pair = Keys.createEcKeyPair();
    String name = WalletUtils.generateWalletFile(PASSWORD, pair, dir.toFile(), false);
    Path key = Files.move(dir.resolve(name), dir.resolve("node-key.json"));
    Path pw = Files.writeString(dir.resolve("node-key.password"), PASSWORD + "\n");
    Path manifest = dir.resolve("deployment.json");
    new DeploymentManifest(31337, 1, "0x" + "ab".repeat(20),
        Map.of("RideLedger", "0x" + "12".repeat(20)), Map.of("protocol", "1")).write(manifest);
    return new NodeFiles(dir, key, pw, manifest, Keys.toChecksumAddress(Keys.getAddress(pair)));
  }

  /** A complete, valid config listening on {@code port}. */
  public String yaml(int port) {
    return """
        chain:
          rpcUrl: http://127.0.0.1:8545
          manifest: deployment.json
        keystore:
          file: node-key.json
          passwordFile: node-key.password
        http:
          host: 127.0.0.1
          port: %d
        dataDir: data
        peers:
          enabled: true
        matching:
          windowMillis: 1500
          offerTimeoutMillis: 12000
        settlement:
          batchSize: 20
          maxAgeMillis: 60000
        node:
          endpoint: https://node1.example.org
          serviceArea: [%s, 8928308280bffff]
        """.formatted(port, CELL);
  }

  /** Writes {@code yaml} as {@code node.yaml} in the directory. */
  public Path config(String yaml) throws IOException {
    return Files.writeString(dir.resolve("node.yaml"), yaml);
  }

  /** A TCP port free right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
