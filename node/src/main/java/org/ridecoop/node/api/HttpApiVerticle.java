package org.ridecoop.node.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's HTTP server: operator endpoints, the OpenAPI document, and the feature routes given
 * as {@link ApiRoutes}.
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process serves requests;
 *   <li>{@code GET /health/ready}: 200 when every {@link ReadinessCheck} passes, else 503 naming
 *       the failing checks and why;
 *   <li>{@code GET /metrics}: Prometheus text format (Vert.x HTTP metrics and {@link NodeMetrics});
 *   <li>{@code GET /v1/openapi.json}: the OpenAPI 3.1 document of this API.
 * </ul>
 *
 * Every error is {@code {"error": "<code>", "reason": "<sentence>"}} ({@link ApiError}); bodies
 * over the limit get 413. One log line per request ({@code ridecoop.access}). Open connections,
 * idle and silent ones, and requests under way are bounded ({@link Settings}): see
 * {@code ConnectionGuard}.
 */
public final class HttpApiVerticle extends VerticleBase {

  /** The default request body limit: 64 KiB. */
  public static final long DEFAULT_BODY_LIMIT = 64 * 1024;

  /** How long a readiness probe may take before it counts as failed. */
  static final long CHECK_TIMEOUT_MS = 2_000;

  /**
   * @param host the interface to bind
   * @param port the TCP port (0 picks a free one, see {@link #port()})
   * @param bodyLimitBytes larger request bodies get 413
   * @param maxConnections most open connections; beyond it the longest-idle one is closed
   * @param idleTimeoutMillis a connection with no request for this long is closed (not streams)
   * @param firstRequestTimeoutMillis a new connection must send its first request's headers by then
   * @param maxRequestsInFlight beyond this many requests under way the node answers 503
   */
  public record Settings(String host, int port, long bodyLimitBytes, int maxConnections, long idleTimeoutMillis,
      long firstRequestTimeoutMillis, int maxRequestsInFlight) {

    /** With the defaults of {@link org.ridecoop.node.config.NodeConfig.Http} for the connection limits. */
    public Settings(String host, int port, long bodyLimitBytes) {
      this(host, port, bodyLimitBytes, org.ridecoop.node.config.NodeConfig.Http.DEFAULT_MAX_CONNECTIONS,
          org.ridecoop.node.config.NodeConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS * 1000,
          org.ridecoop.node.config.NodeConfig.Http.DEFAULT_FIRST_REQUEST_TIMEOUT_MILLIS,
          org.ridecoop.node.config.NodeConfig.Http.DEFAULT_MAX_REQUESTS_IN_FLIGHT);
    }
  }

  private static final Buffer OPENAPI = resource("openapi.json");

  private final Settings settings;
  private final PrometheusMeterRegistry registry;
  private final List<ReadinessCheck> checks;
  private final List<ApiRoutes> routes;
  private volatile int port = -1;
  private ConnectionGuard guard;

  /**
   * @param settings where to listen and the body limit
   * @param registry the registry {@code /metrics} shows (the one Vert.x metrics were built with)
   * @param checks what {@code /health/ready} requires
   * @param routes the feature routes to mount
   */
  public HttpApiVerticle(Settings settings, PrometheusMeterRegistry registry, List<ReadinessCheck> checks,
      List<ApiRoutes> routes) {
    this.settings = settings;
    this.registry = registry;
    this.checks = List.copyOf(checks);
    this.routes = List.copyOf(routes);
  }

  @Override
  public Future<?> start() {
    guard = new ConnectionGuard(vertx, new ConnectionGuard.Limits(settings.maxConnections(),
        settings.idleTimeoutMillis(), settings.firstRequestTimeoutMillis(), settings.maxRequestsInFlight()), registry);
    Router router = router();
    // No cleartext HTTP/2 upgrade: with it, a socket that sends nothing is never handed to the
    // connection handler (the server waits for a preface), so the guard could not see or close it.
    return vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
            .setHttp2ClearTextEnabled(false))
        .connectionHandler(guard.onConnection())
        .requestHandler(router)
        .listen()
        .onSuccess(server -> port = server.actualPort());
  }

  /** The port the server listens on, once started. */
  public int port() {
    return port;
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(new AccessLog());
    router.route().handler(guard::onRequest);
    router.route().handler(BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes()));
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "live")));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.get("/v1/openapi.json").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json")
        .end(OPENAPI));
    for (ApiRoutes r : routes) {
      r.mount(router);
    }
    new ErrorResponses(settings.bodyLimitBytes()).install(router);
    return router;
  }

  private void ready(RoutingContext ctx) {
    List<Future<String>> results = new ArrayList<>();
    for (ReadinessCheck check : checks) {
      results.add(probe(check));
    }
    Future.join(results).onComplete(done -> {
      JsonObject passed = new JsonObject();
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < checks.size(); i++) {
        Future<String> r = results.get(i);
        if (r.succeeded()) {
          passed.put(checks.get(i).name(), "ok");
        } else {
          failed.add(checks.get(i).name() + ": " + r.cause().getMessage());
        }
      }
      if (failed.isEmpty()) {
        ctx.json(new JsonObject().put("status", "ready").put("checks", passed));
      } else {
        ErrorResponses.send(ctx, 503, "not_ready", "not ready: " + String.join("; ", failed));
      }
    });
  }

  private static Future<String> probe(ReadinessCheck check) {
    Future<?> f;
    try {
      f = check.probe().get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<String>map(v -> "ok")
        .recover(e -> Future.failedFuture(new IllegalStateException(reason(e), e)));
  }

  private static String reason(Throwable e) {
    if (e instanceof java.util.concurrent.TimeoutException) {
      return "no answer within " + CHECK_TIMEOUT_MS + " ms";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static Buffer resource(String name) {
    try (InputStream in = HttpApiVerticle.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to " + HttpApiVerticle.class.getName());
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
