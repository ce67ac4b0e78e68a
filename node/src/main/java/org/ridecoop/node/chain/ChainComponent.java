package org.ridecoop.node.chain;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.chain.RevertDecoder;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeServices;
import org.ridecoop.node.api.ReadinessCheck;
import org.ridecoop.node.config.ConfigException;
import org.ridecoop.node.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tuples.generated.Tuple5;

/**
 * Connects the node to the chain: reads the deployment manifest, checks the chain id, makes sure
 * the node key is an active driver member and that the node's registration in Membership matches
 * its configuration (registering or updating it), then offers the {@link ChainGateway} and the
 * {@link LedgerEvents} to the later components. The indexer itself starts with
 * {@link #indexer()}, a component listed after every component that listens to events.
 *
 * <p>A node key that is not an active driver member fails the start with a
 * {@link ConfigException} on {@code keystore.file} (the launcher exits with code 2).
 */
public final class ChainComponent implements NodeComponent {

  private static final Logger LOG = LoggerFactory.getLogger(ChainComponent.class);

  /** The indexer cursor's name in the store. */
  public static final String CURSOR = "ledger";

  /** Status {@code Active} of Membership's {@code Status} enum. */
  private static final int ACTIVE = 2;
  /** Resolution of the registry's cells ({@code Membership.CELL_RESOLUTION}). */
  static final int REGISTRY_RESOLUTION = 7;
  /** Most cells a node registers ({@code Membership.MAX_NODE_CELLS}). */
  static final int MAX_CELLS = 64;
  /** Membership's drivers college. */
  private static final int DRIVERS = 0;

  /**
   * Tuning.
   *
   * @param receiptPoll how often to poll for a transaction receipt (about the block time)
   * @param indexer the indexer's polls and ranges (its start block is the deployment block)
   * @param maxLag readiness fails when the indexer is more blocks than this behind the head
   */
  public record Settings(Duration receiptPoll, Duration indexerPoll, long indexerRange, long maxLag) {
    /** 50 ms receipt polls, 200 ms indexer polls over up to 2,000 blocks, ready within 20 blocks. */
    public static final Settings DEFAULT = new Settings(Duration.ofMillis(50), Duration.ofMillis(200), 2_000, 20);

    /** The same with the indexer polling every {@code poll} once caught up. */
    public Settings withIndexerPoll(Duration poll) {
      return new Settings(receiptPoll, poll, indexerRange, maxLag);
    }
  }

  private final Settings settings;
  private Web3j web3j;
  private ChainGateway gateway;
  private EventIndexer indexer;
  private NodeServices services;

  /** With the default settings. */
  public ChainComponent() {
    this(Settings.DEFAULT);
  }

  /** With explicit settings. */
  public ChainComponent(Settings settings) {
    this.settings = Objects.requireNonNull(settings);
  }

  @Override
  public String name() {
    return "chain";
  }

  @Override
  public Future<Void> start(NodeServices services) {
    this.services = services;
    NodeConfig config = services.config();
    return services.vertx().<Void>executeBlocking(() -> {
      connect(config, services);
      return null;
    }).compose(v -> gateway.view(() -> registration(config.node())))
        .compose(this::register)
        .<Void>map(v -> {
      DeploymentManifest m = gateway.manifest();
      indexer = new EventIndexer(web3j, m.address("RideLedger"), m.address("Membership"),
          m.address("FareSchedule"), services.store().indexerCursor(CURSOR),
          new EventIndexer.Settings(settings.indexerPoll(), settings.indexerRange(), m.deploymentBlock(),
              Duration.ofSeconds(5)));
      services.provideChain(gateway, indexer);
      services.addReadinessCheck(new ReadinessCheck("chain",
          () -> gateway.view(() -> web3j.ethBlockNumber().send().getBlockNumber())));
      services.addReadinessCheck(new ReadinessCheck("indexer", () -> {
        var down = indexer.rpcDownSince();
        if (down.isPresent()) {
          return Future.failedFuture("chain RPC down since " + down.get());
        }
        var resync = indexer.resyncing();
        if (resync.isPresent()) {
          return Future.failedFuture(resync.get());
        }
        long lag = indexer.lag();
        return lag <= settings.maxLag() ? Future.succeededFuture()
            : Future.failedFuture("indexer " + (lag == Long.MAX_VALUE ? "not started" : lag + " blocks behind"));
      }));
      Gauge.builder("ridecoop.indexer.lag", indexer, i -> {
        long lag = i.lag();
        return lag == Long.MAX_VALUE ? Double.NaN : lag;
      }).description("Blocks the event indexer is behind the chain head").register(services.registry());
      io.micrometer.core.instrument.FunctionCounter.builder("ridecoop.indexer.resyncs", indexer, EventIndexer::resyncs)
          .description("Chain resets or reorganisations the indexer detected and re-synced from")
          .register(services.registry());
      return null;
    }).recover(e -> stop().<Void>transform(ignored -> Future.failedFuture(e))); // the runtime stops only started components
  }

  private void connect(NodeConfig config, NodeServices services) throws Exception {
    DeploymentManifest manifest;
    try {
      manifest = DeploymentManifest.read(config.chain().manifest());
    } catch (IOException e) {
      throw new ConfigException("chain.manifest", "cannot read " + config.chain().manifest() + " (" + e.getMessage() + ")");
    }
    String scheme = config.chain().rpcUrl().getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.startsWith("http")) {
      throw new ConfigException("chain.rpcUrl", "only http and https endpoints are supported, got " + scheme);
    }
    web3j = Web3j.build(new HttpService(config.chain().rpcUrl().toString()));
    long chainId;
    try {
      chainId = web3j.ethChainId().send().getChainId().longValueExact();
    } catch (IOException e) {
      web3j.shutdown();
      throw new IOException("chain.rpcUrl " + config.chain().rpcUrl() + " does not answer: " + e.getMessage(), e);
    }
    if (chainId != manifest.chainId()) {
      web3j.shutdown();
      throw new ConfigException("chain.manifest", "the manifest is for chain " + manifest.chainId()
          + " but " + config.chain().rpcUrl() + " is chain " + chainId);
    }
    ChainAccess access = new ChainAccess(web3j, chainId,
        ChainAccess.Settings.DEFAULT.withReceiptPoll(settings.receiptPoll()), RevertDecoder.fromClasspath());
    gateway = new ChainGateway(services.vertx(), access, manifest, services.key().credentials(), services.metrics());
  }

  /** What start-up does about the node's registration. */
  private record Registration(String kind, String endpoint, byte[] enode, List<BigInteger> cells) {}

  /** Blocking: checks membership and compares the registration with the configuration. */
  private Registration registration(NodeConfig.Node node) throws Exception {
    String address = gateway.address();
    int status = gateway.membership().statusOf(address).send().intValue();
    int college = gateway.membership().collegeOf(address).send().intValue();
    if (status != ACTIVE || college != DRIVERS) {
      throw new ConfigException("keystore.file", "the node key " + address
          + " is not an active member of the drivers college (status " + statusName(status) + ", college " + college
          + "); join the cooperative as a driver with this key first");
    }
    if (node.serviceArea().isEmpty()) {
      throw new ConfigException("node.serviceArea", "a node must serve at least one H3 cell to be registered");
    }
    List<BigInteger> cells = registryCells(node.serviceArea());
    String endpoint = node.endpoint().toString();
    Tuple5<String, String, byte[], List<BigInteger>, Boolean> current = gateway.membership().nodeOf(address).send();
    String operator = current.component1();
    if (operator == null || new BigInteger(operator.substring(2), 16).signum() == 0) {
      return new Registration("registered", endpoint, new byte[0], cells);
    }
    if (!operator.equalsIgnoreCase(address)) {
      throw new ConfigException("keystore.file", "the node key " + address + " is registered by operator " + operator
          + "; only that operator can update it");
    }
    if (endpoint.equals(current.component2()) && cells.equals(current.component4())) {
      return new Registration("current", endpoint, current.component3(), cells);
    }
    return new Registration("updated", endpoint, current.component3(), cells);
  }

  /**
   * The registry's cells for a service area: each cell's resolution-7 parent (the registry keeps
   * coarse cells so no address is revealed), without duplicates, in the configured order.
   */
  static List<BigInteger> registryCells(List<Long> serviceArea) throws ConfigException {
    java.util.LinkedHashSet<BigInteger> out = new java.util.LinkedHashSet<>();
    for (long cell : serviceArea) {
      int resolution = (int) ((cell >>> 52) & 0xF);
      if (resolution < REGISTRY_RESOLUTION) {
        throw new ConfigException("node.serviceArea", "cell " + Long.toHexString(cell) + " has resolution "
            + resolution + "; the node registry needs cells of resolution " + REGISTRY_RESOLUTION + " or finer");
      }
      // The parent: resolution field set to 7 and the digits of resolutions 8..15 (low 24 bits) unused (7).
      long parent = (cell & ~(0xFL << 52)) | ((long) REGISTRY_RESOLUTION << 52) | 0xFFFFFFL;
      out.add(BigInteger.valueOf(parent));
    }
    if (out.size() > MAX_CELLS) {
      throw new ConfigException("node.serviceArea", "covers " + out.size() + " resolution-7 cells; the registry takes at most "
          + MAX_CELLS);
    }
    return List.copyOf(out);
  }

  private Future<Void> register(Registration r) {
    String address = gateway.address();
    Future<String> tx = switch (r.kind()) {
      case "registered" -> gateway.send(gateway.membership().registerNode(address, r.endpoint(), r.enode(), r.cells()))
          .map(t -> t.getTransactionHash());
      case "updated" -> gateway.send(gateway.membership().updateNode(address, r.endpoint(), r.enode(), r.cells()))
          .map(t -> t.getTransactionHash());
      default -> Future.succeededFuture("none");
    };
    return tx.map(hash -> {
      LOG.info("node registration {} address={} endpoint={} cells={} tx={}", r.kind(), address, r.endpoint(),
          r.cells().size(), hash);
      return null;
    });
  }

  private static String statusName(int status) {
    String[] names = {"None", "Registered", "Active", "Suspended", "Excluded", "Left"};
    return status >= 0 && status < names.length ? names[status] : String.valueOf(status);
  }

  /**
   * The component that starts the event indexer: list it after every component that registers
   * event listeners, so none misses an event. Stopped first, it stops the indexer.
   */
  public NodeComponent indexer() {
    return new NodeComponent() {
      private String deployment;

      @Override
      public String name() {
        return "indexer";
      }

      @Override
      public Future<Void> start(NodeServices s) {
        if (indexer == null) {
          return Future.failedFuture(new IllegalStateException("the chain component must start before the indexer"));
        }
        return s.vertx().deployVerticle(indexer).map(id -> {
          deployment = id;
          return null;
        });
      }

      @Override
      public Future<Void> stop() {
        return deployment == null ? Future.succeededFuture() : services.vertx().undeploy(deployment);
      }
    };
  }

  /** The gateway, once started. */
  public ChainGateway gateway() {
    return gateway;
  }

  /** The indexer, once started (delivering only after {@link #indexer()} started). */
  public EventIndexer events() {
    return indexer;
  }

  @Override
  public Future<Void> stop() {
    Future<Void> closed = gateway == null ? Future.succeededFuture() : gateway.close();
    return closed.onComplete(ar -> {
      if (web3j != null) {
        web3j.shutdown();
      }
    });
  }
}
