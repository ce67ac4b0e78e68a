package org.ridecoop.node.demo;

import com.uber.h3core.H3Core;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ridecoop.node.NodeComponents;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.matching.LatLng;
import org.web3j.crypto.WalletUtils;

/**
 * The demo's driver fleets, each served by a real node: the runtime and components
 * {@code ridecoop node start} runs (store, chain indexer, node registration, ride desk,
 * federation, settlement), in this process, on loopback. Each fleet has a home in the city; its
 * node registers the H3 cells within {@link #REACH_METRES} of it, so neighbouring fleets' service
 * areas overlap. The first driver of a fleet keys its node; the others make that key their
 * operator on the ledger, so the node settles their co-signed receipts.
 */
final class FleetNodes implements AutoCloseable {
  /** Fleet homes, far enough apart that a fleet's drivers are beyond a 15-minute drive of another's riders. */
  static final List<LatLng> HOMES = List.of(new LatLng(48.840, 2.285), new LatLng(48.840, 2.385),
      new LatLng(48.885, 2.335));
  /** A node serves the resolution-7 cells within this distance of its fleet's home. */
  static final int REACH_METRES = 4_000;
  private static final String PASSWORD_VARIABLE = "RIDECOOP_DEMO_NODE_PASSWORD";

  /** A running fleet node. */
  record FleetNode(int index, NodeRuntime runtime, URI url, List<People.Driver> drivers, int cells) {
    People.Driver keyDriver() {
      return drivers.get(0);
    }
  }

  private final List<FleetNode> nodes = new ArrayList<>();

  private FleetNodes() {}

  /**
   * Starts one node per fleet.
   *
   * @param fleets the drivers of each fleet (the first keys its node)
   * @param rpcUrl the chain
   * @param manifest the deployment manifest file
   * @param dir where the nodes' encrypted key files and databases go (emptied first: the nodes
   *     follow this demo's chain from its start)
   * @param firstPort the first node's HTTP port, the next ones following; 0 for free ports
   */
  static FleetNodes start(List<List<People.Driver>> fleets, URI rpcUrl, Path manifest, Path dir, int firstPort)
      throws Exception {
    deleteRecursively(dir);
    // The key files are encrypted with a password that exists only in this process's memory.
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String password = HexFormat.of().formatHex(secret);
    Map<String, String> env = Map.of(PASSWORD_VARIABLE, password);
    H3Core h3 = H3Core.newInstance();
    FleetNodes started = new FleetNodes();
    try {
      for (int i = 0; i < fleets.size(); i++) {
        List<People.Driver> fleet = fleets.get(i);
        Path nodeDir = Files.createDirectories(dir.resolve("node-" + (i + 1)));
        String wallet = WalletUtils.generateWalletFile(password, fleet.get(0).key.getEcKeyPair(), nodeDir.toFile(), false);
        int port = firstPort == 0 ? freePort() : firstPort + i;
        URI url = URI.create("http://127.0.0.1:" + port);
        List<Long> cells = serviceArea(h3, HOMES.get(i));
        NodeConfig config = new NodeConfig(
            new NodeConfig.Chain(rpcUrl, manifest, 50),
            new NodeConfig.Keystore(nodeDir.resolve(wallet), Optional.empty(), Optional.of(PASSWORD_VARIABLE)),
            new NodeConfig.Http("127.0.0.1", port),
            nodeDir.resolve("data"),
            new NodeConfig.Peers(true),
            new NodeConfig.Matching(100, 10_000),
            new NodeConfig.Settlement(50, 1_000), // receipts settle in batches at most a second old
            new NodeConfig.Node(url, cells),
            fleet.stream().map(d -> d.address().toLowerCase(Locale.ROOT)).toList());
        NodeRuntime runtime = NodeRuntime.start(config, env, NodeComponents.forConfig(config)).await();
        started.nodes.add(new FleetNode(i, runtime, url, fleet, cells.size()));
      }
    } catch (Exception | Error e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** The running nodes, in fleet order. */
  List<FleetNode> nodes() {
    return nodes;
  }

  /** The resolution-7 cells within {@link #REACH_METRES} of {@code home}, sampled every 400 m. */
  private static List<Long> serviceArea(H3Core h3, LatLng home) {
    Set<Long> cells = new LinkedHashSet<>();
    double step = 400;
    for (double north = -REACH_METRES; north <= REACH_METRES; north += step) {
      for (double east = -REACH_METRES; east <= REACH_METRES; east += step) {
        if (north * north + east * east > (double) REACH_METRES * REACH_METRES) continue;
        double lat = home.lat() + north / 111_320.0;
        double lng = home.lng() + east / (111_320.0 * Math.cos(Math.toRadians(home.lat())));
        cells.add(h3.latLngToCell(lat, lng, 7));
      }
    }
    return List.copyOf(cells);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** Stops every node (each closes its store and HTTP server). */
  @Override
  public void close() {
    for (FleetNode n : nodes.reversed()) {
      try {
        n.runtime().stop().await();
      } catch (RuntimeException alreadyStopped) {
        // stopping is best effort at the end of the demo
      }
    }
    nodes.clear();
  }
}
