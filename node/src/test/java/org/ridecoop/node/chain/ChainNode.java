package org.ridecoop.node.chain;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.settlement.SettlementComponent;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/**
 * A node on a real chain for tests: its key's wallet (light scrypt), the deployment manifest and a
 * config in a directory; started with the chain component, settlement and the indexer.
 */
public final class ChainNode {

  /**
   * A resolution-9 H3 cell in central Paris, where the test riders are picked up (48.8566, 2.3522):
   * a node must serve its riders' pickups. The registry gets its resolution-7 parent.
   */
  public static final long CELL = Long.parseUnsignedLong("891fb466257ffff", 16);
  /** Another resolution-9 cell in another resolution-7 parent (Paris, where the test riders are dropped off). */
  public static final long OTHER_CELL = Long.parseUnsignedLong("891fb475a27ffff", 16);

  public final Path dir;
  public final CoopFixture fixture;
  public final Credentials key;
  private final Path keyFile;
  private final Path manifest;

  /** Writes the key's wallet and the manifest into {@code dir}. */
  public ChainNode(Path dir, CoopFixture fixture, Credentials key) throws Exception {
    this.dir = Files.createDirectories(dir);
    this.fixture = fixture;
    this.key = key;
    String name = WalletUtils.generateWalletFile("pw", key.getEcKeyPair(), dir.toFile(), false);
    this.keyFile = dir.resolve(name);
    Files.writeString(dir.resolve("pw"), "pw");
    this.manifest = dir.resolve("deployment.json");
    fixture.manifest.write(manifest);
  }

  /** A config with the given settlement batching, endpoint and cells. */
  public NodeConfig config(int batchSize, long maxAgeMillis, String endpoint, List<Long> cells) throws Exception {
    return config(batchSize, maxAgeMillis, endpoint, cells, org.ridecoop.node.NodeFiles.freePort(), false,
        new NodeConfig.Matching(1000, 10000));
  }

  /**
   * A config listening on {@code port} with the given settlement batching, endpoint, cells,
   * federation switch and matching tuning.
   */
  public NodeConfig config(int batchSize, long maxAgeMillis, String endpoint, List<Long> cells, int port,
      boolean peers, NodeConfig.Matching matching) {
    return new NodeConfig(
        new NodeConfig.Chain(URI.create(fixture.chain.rpcUrl()), manifest),
        new NodeConfig.Keystore(keyFile, Optional.of(dir.resolve("pw")), Optional.empty()),
        new NodeConfig.Http("127.0.0.1", port),
        dir.resolve("data"),
        new NodeConfig.Peers(peers),
        matching,
        new NodeConfig.Settlement(batchSize, maxAgeMillis),
        new NodeConfig.Node(URI.create(endpoint), cells));
  }

  /** A config with the given batching, endpoint https://node.example.org and {@link #CELL}. */
  public NodeConfig config(int batchSize, long maxAgeMillis) throws Exception {
    return config(batchSize, maxAgeMillis, "https://node.example.org", List.of(CELL));
  }

  /** Fast test tuning: 20 ms receipt polls, 50 ms indexer polls, settlement checks every 100 ms. */
  public static List<NodeComponent> components(NodeComponent... between) {
    ChainComponent chain = new ChainComponent(new ChainComponent.Settings(
        java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(50), 2_000, 20));
    List<NodeComponent> all = new ArrayList<>();
    all.add(chain);
    all.addAll(List.of(between));
    all.add(new SettlementComponent(new SettlementComponent.Settings(java.time.Duration.ofMillis(100),
        java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(2)), java.time.Clock.systemUTC()));
    all.add(chain.indexer());
    return all;
  }

  /** Starts a node with {@code config}. */
  public NodeRuntime start(NodeConfig config, NodeComponent... between) {
    return NodeRuntime.start(config, Map.of(), components(between)).await();
  }
}
