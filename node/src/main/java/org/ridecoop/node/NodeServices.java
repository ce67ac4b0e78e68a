package org.ridecoop.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ridecoop.node.api.ApiRoutes;
import org.ridecoop.node.api.NodeMetrics;
import org.ridecoop.node.api.ReadinessCheck;
import org.ridecoop.node.chain.ChainGateway;
import org.ridecoop.node.chain.LedgerEvents;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.config.NodeKey;
import org.ridecoop.node.settlement.SettlementQueue;
import org.ridecoop.node.store.SqliteStore;

/**
 * What a running node is made of, handed to each {@link NodeComponent} as it starts: the Vert.x
 * instance, the configuration, the node key, the store and the metrics. Components register here
 * what the HTTP server needs from them ({@link #addReadinessCheck}, {@link #addRoutes}) before it
 * starts.
 *
 * <p>The chain connection (Web3j, the deployment manifest at {@code config().chain().manifest()},
 * the node's registration) joins here as a component; nothing in the platform fakes it.
 */
public final class NodeServices {

  private final Vertx vertx;
  private final NodeConfig config;
  private final Map<String, String> environment;
  private final NodeKey key;
  private final SqliteStore store;
  private final NodeMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final List<ReadinessCheck> readinessChecks = new CopyOnWriteArrayList<>();
  private final List<ApiRoutes> routes = new CopyOnWriteArrayList<>();
  private volatile ChainGateway chain;
  private volatile LedgerEvents ledgerEvents;
  private volatile SettlementQueue settlement;

  NodeServices(Vertx vertx, NodeConfig config, Map<String, String> environment, NodeKey key, SqliteStore store,
      NodeMetrics metrics, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.environment = Map.copyOf(environment);
    this.key = key;
    this.store = store;
    this.metrics = metrics;
    this.registry = registry;
  }

  /** The node's Vert.x instance. */
  public Vertx vertx() {
    return vertx;
  }

  /** The validated configuration. */
  public NodeConfig config() {
    return config;
  }

  /** The environment the node was started with (for settings that name variables). */
  public Map<String, String> environment() {
    return environment;
  }

  /** The node's signing key. */
  public NodeKey key() {
    return key;
  }

  /** The node's database. */
  public SqliteStore store() {
    return store;
  }

  /** The node's own meters. */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** The registry behind {@code /metrics}, for components that register meters of their own. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Adds a condition {@code /health/ready} requires. Call from {@link NodeComponent#start}. */
  public void addReadinessCheck(ReadinessCheck check) {
    readinessChecks.add(check);
  }

  /** Adds a feature's HTTP routes. Call from {@link NodeComponent#start}. */
  public void addRoutes(ApiRoutes apiRoutes) {
    routes.add(apiRoutes);
  }

  /** The readiness checks registered so far. */
  public List<ReadinessCheck> readinessChecks() {
    return List.copyOf(readinessChecks);
  }

  /** The routes registered so far. */
  public List<ApiRoutes> routes() {
    return List.copyOf(routes);
  }

  /**
   * The chain gateway (node key, contracts, manifest).
   *
   * @throws IllegalStateException if no chain component started before the caller
   */
  public ChainGateway chain() {
    return present(chain, "chain gateway");
  }

  /**
   * The contract events, exactly once each.
   *
   * @throws IllegalStateException if no chain component started before the caller
   */
  public LedgerEvents ledgerEvents() {
    return present(ledgerEvents, "ledger events");
  }

  /**
   * Where co-signed receipts go to be settled.
   *
   * @throws IllegalStateException if no settlement component started before the caller
   */
  public SettlementQueue settlement() {
    return present(settlement, "settlement queue");
  }

  /** Called by the chain component once connected. */
  public void provideChain(ChainGateway gateway, LedgerEvents events) {
    this.chain = gateway;
    this.ledgerEvents = events;
  }

  /** Called by the settlement component once started. */
  public void provideSettlement(SettlementQueue queue) {
    this.settlement = queue;
  }

  private static <T> T present(T value, String what) {
    if (value == null) {
      throw new IllegalStateException("no " + what + ": its component is not started (check NodeComponents order)");
    }
    return value;
  }
}
