package org.ridecoop.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.ridecoop.node.api.HttpApiVerticle;
import org.ridecoop.node.api.NodeMetrics;
import org.ridecoop.node.api.ReadinessCheck;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.config.NodeKey;
import org.ridecoop.node.store.SqliteStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started node: Vert.x with Micrometer metrics, the node key, the store, the
 * {@link NodeComponent}s and the HTTP API, started in that order and stopped in reverse.
 *
 * <pre>{@code
 * NodeRuntime node = NodeRuntime.start(config, System.getenv(), List.of(chainGateway)).await();
 * ...
 * node.stop().await();
 * }</pre>
 */
public final class NodeRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

  /** How often queue and peer gauges are refreshed from the store. */
  static final long GAUGE_REFRESH_MS = 5_000;

  /** How long Vert.x may take to close. */
  static final long STOP_TIMEOUT_SECONDS = 20;

  private final Vertx vertx;
  private final NodeConfig config;
  private final NodeMetrics metrics;
  private final Deque<NodeComponent> started = new ArrayDeque<>();
  private final AtomicReference<Future<Void>> stopping = new AtomicReference<>();
  private final Promise<Void> terminated = Promise.promise();
  private volatile NodeServices services;
  private volatile SqliteStore store;
  private volatile String httpDeployment;
  private volatile int httpPort = -1;
  private volatile long gaugeTimer = -1;

  private NodeRuntime(Vertx vertx, NodeConfig config, NodeMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * Starts a node. On failure everything already started is stopped again, and the future fails
   * with the cause (a {@link org.ridecoop.node.config.ConfigException} when the key cannot be
   * decrypted, a {@link org.ridecoop.node.store.StoreException} when the data directory is in use).
   *
   * @param config the validated configuration
   * @param env the environment (for {@code keystore.passwordEnv})
   * @param components started after the store, in order, before the HTTP server
   */
  public static Future<NodeRuntime> start(NodeConfig config, Map<String, String> env, List<NodeComponent> components) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = createVertx(registry);
    NodeRuntime node = new NodeRuntime(vertx, config, new NodeMetrics(registry));
    // A promise bound to no context: after a failed start Vert.x is closed, and callbacks bound to
    // its event loops would never run.
    Promise<NodeRuntime> result = Promise.promise();
    node.startAll(env, components, registry).onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(node);
      } else {
        node.stop().onComplete(ignored -> result.fail(ar.cause()));
      }
    });
    return result.future();
  }

  /** A Vert.x instance whose HTTP, pool and JVM metrics go to {@code registry}. */
  public static Vertx createVertx(PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metricsOptions))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  private Future<Void> startAll(Map<String, String> env, List<NodeComponent> components,
      PrometheusMeterRegistry registry) {
    return NodeKey.load(vertx, config.keystore(), env)
        .compose(key -> SqliteStore.open(vertx, config.dataDir()).map(s -> {
          store = s;
          services = new NodeServices(vertx, config, env, key, s, metrics, registry);
          services.addReadinessCheck(new ReadinessCheck("store", s::ping));
          // Durable commits (one fsync each, shared by the writes waiting together): against the
          // request rate it tells an operator whether the disk is what holds the node back.
          io.micrometer.core.instrument.FunctionCounter.builder("ridecoop.store.commits", s, SqliteStore::commits)
              .description("groups of store writes committed (one fsync each)").register(registry);
          return null;
        }))
        .compose(v -> startComponents(components, 0))
        .compose(v -> {
          HttpApiVerticle http = new HttpApiVerticle(
              new HttpApiVerticle.Settings(config.http().host(), config.http().port(), HttpApiVerticle.DEFAULT_BODY_LIMIT,
                  config.http().maxConnections(), config.http().idleTimeoutSeconds() * 1000,
                  config.http().firstRequestTimeoutMillis(), config.http().maxRequestsInFlight()),
              registry, services.readinessChecks(), services.routes());
          return vertx.deployVerticle(http).map(id -> {
            httpDeployment = id;
            httpPort = http.port();
            return null;
          });
        })
        .<Void>map(v -> {
          refreshGauges();
          gaugeTimer = vertx.setPeriodic(GAUGE_REFRESH_MS, id -> refreshGauges());
          LOG.info("node started address={} http={}:{} dataDir={} schema={} components={}",
              services.key().address(), config.http().host(), httpPort, config.dataDir(),
              store.migrationsApplied() > 0 ? "migrated" : "current", started.size());
          return null;
        });
  }

  private Future<Void> startComponents(List<NodeComponent> components, int index) {
    if (index == components.size()) {
      return Future.succeededFuture();
    }
    NodeComponent c = components.get(index);
    return c.start(services)
        .onSuccess(v -> {
          started.push(c);
          LOG.info("component started name={}", c.name());
        })
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "component " + c.name() + " failed to start: " + e.getMessage(), e)))
        .compose(v -> startComponents(components, index + 1));
  }

  private void refreshGauges() {
    if (store == null) {
      return;
    }
    store.rides().openRequestCount().onSuccess(n -> metrics.queueSize(NodeMetrics.REQUESTS, n));
    store.receipts().pendingCount().onSuccess(n -> metrics.queueSize(NodeMetrics.RECEIPTS, n));
    store.peers().active().onSuccess(p -> metrics.peers(p.size()));
  }

  /**
   * Stops the node: HTTP first (no new requests), then the components in reverse order, then the
   * store (its WAL checkpointed), then Vert.x. Safe to call more than once; every call gets the
   * same future.
   */
  public Future<Void> stop() {
    Future<Void> existing = stopping.get();
    if (existing != null) {
      return existing;
    }
    Promise<Void> done = Promise.promise();
    if (!stopping.compareAndSet(null, done.future())) {
      return stopping.get();
    }
    if (gaugeTimer >= 0) {
      vertx.cancelTimer(gaugeTimer);
    }
    Future<Void> chain = httpDeployment == null ? Future.succeededFuture()
        : vertx.undeploy(httpDeployment).recover(e -> logged("http", e));
    chain = chain.compose(v -> stopComponents());
    chain = chain.compose(v -> store == null ? Future.<Void>succeededFuture() : store.close().recover(e -> logged("store", e)));
    chain.onComplete(ar -> closeVertx(done));
    return done.future();
  }

  // Closing Vert.x from one of its own threads would strand every callback after it; a plain
  // thread waits for the close and completes the context-free promises.
  private void closeVertx(Promise<Void> done) {
    Thread closer = new Thread(() -> {
      try {
        vertx.close().await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("node stopped");
      } catch (Exception e) {
        LOG.warn("node stopped; Vert.x did not close cleanly: {}", e.toString());
      } finally {
        terminated.tryComplete();
        done.complete();
      }
    }, "ridecoop-stop");
    closer.start();
  }

  private Future<Void> stopComponents() {
    NodeComponent c = started.poll();
    if (c == null) {
      return Future.succeededFuture();
    }
    Future<Void> stop;
    try {
      stop = c.stop();
    } catch (RuntimeException e) {
      stop = Future.failedFuture(e);
    }
    return stop.recover(e -> logged("component " + c.name(), e)).compose(v -> stopComponents());
  }

  private static Future<Void> logged(String what, Throwable e) {
    LOG.warn("stopping {} failed: {}", what, e.toString());
    return Future.succeededFuture();
  }

  /** Completes once the node has stopped. */
  public Future<Void> terminated() {
    return terminated.future();
  }

  /** The port the HTTP API listens on. */
  public int httpPort() {
    return httpPort;
  }

  /** What the node is made of. */
  public NodeServices services() {
    return services;
  }
}
