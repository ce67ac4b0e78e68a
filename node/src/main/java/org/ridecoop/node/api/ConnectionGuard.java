package org.ridecoop.node.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the HTTP server reachable when clients hold sockets open: a cap on open connections, a
 * deadline for a new connection's first request (a client that connects and sends nothing, or
 * sends its headers a byte at a time, is closed), an idle timeout between requests, and a bound on
 * requests under way (503 {@code overloaded} with {@code Retry-After} beyond it).
 *
 * <p>At the cap, a new connection evicts the connection idle the longest (no request under way);
 * only when every connection is busy is the new one closed. So thousands of silent sockets cannot
 * lock out a real client: its connection takes the place of the oldest silent one.
 *
 * <p>WebSocket streams are exempt from the idle timeout and from eviction: a ride's follower may
 * hear nothing for minutes. The Vert.x idle timeout is not used for that reason (it would close
 * them too).
 *
 * <p>Confined to the HTTP verticle's event loop (one instance): no locking.
 */
final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  /** Log lines about closed connections are at most this often (an attack would flood the log). */
  private static final long LOG_EVERY_MS = 1_000;

  /**
   * @param maxConnections most open connections
   * @param idleTimeoutMillis a connection without a request for this long is closed
   * @param firstRequestTimeoutMillis a new connection must have sent its first request's headers by then
   * @param maxRequestsInFlight more requests under way than this get 503 (health and metrics excepted)
   */
  record Limits(int maxConnections, long idleTimeoutMillis, long firstRequestTimeoutMillis, int maxRequestsInFlight) {
    Limits {
      if (maxConnections < 1 || idleTimeoutMillis < 1 || firstRequestTimeoutMillis < 1 || maxRequestsInFlight < 1) {
        throw new IllegalArgumentException("connection limits must be positive: " + this);
      }
    }
  }

  /** One open connection. */
  private static final class Tracked {
    final HttpConnection connection;
    int inFlight;
    boolean stream;
    long timer = -1;

    Tracked(HttpConnection connection) {
      this.connection = connection;
    }
  }

  private final Vertx vertx;
  private final Limits limits;
  private final Map<HttpConnection, Tracked> open = new HashMap<>();
  /** Connections with no request under way and not streams, the longest idle first. */
  private final LinkedHashMap<HttpConnection, Tracked> idle = new LinkedHashMap<>();
  private final AtomicInteger openCount = new AtomicInteger();
  private int inFlight;
  private final Counter evicted;
  private final Counter refusedAtCap;
  private final Counter firstRequestTimeouts;
  private final Counter idleTimeouts;
  private final Counter overloaded;
  private long lastLog;
  private long unloggedCloses;

  ConnectionGuard(Vertx vertx, Limits limits, MeterRegistry registry) {
    this.vertx = vertx;
    this.limits = limits;
    Gauge.builder("ridecoop.http.connections.open", openCount, AtomicInteger::get)
        .description("open HTTP connections").register(registry);
    this.evicted = closed(registry, "cap_evicted_idle");
    this.refusedAtCap = closed(registry, "cap_refused");
    this.firstRequestTimeouts = closed(registry, "first_request_timeout");
    this.idleTimeouts = closed(registry, "idle_timeout");
    this.overloaded = Counter.builder("ridecoop.http.refused").tag("reason", "requests_in_flight")
        .description("requests refused with 503 because the node was overloaded").register(registry);
  }

  private static Counter closed(MeterRegistry registry, String reason) {
    return Counter.builder("ridecoop.http.connections.closed").tag("reason", reason)
        .description("HTTP connections the node closed to stay reachable").register(registry);
  }

  /** The server's connection handler: admits, evicts or refuses, and arms the first-request deadline. */
  Handler<HttpConnection> onConnection() {
    return connection -> {
      if (open.size() >= limits.maxConnections()) {
        Iterator<Tracked> oldest = idle.values().iterator();
        if (!oldest.hasNext()) {
          refusedAtCap.increment();
          logClose("connection refused: at the cap of " + limits.maxConnections() + " and none idle");
          connection.close();
          return;
        }
        Tracked victim = oldest.next();
        oldest.remove();
        evicted.increment();
        logClose("idle connection evicted: at the cap of " + limits.maxConnections());
        victim.connection.close();
        forget(victim);
      }
      Tracked t = new Tracked(connection);
      open.put(connection, t);
      openCount.set(open.size());
      connection.closeHandler(v -> forget(t));
      becameIdle(t, limits.firstRequestTimeoutMillis(), firstRequestTimeouts, "no request within "
          + limits.firstRequestTimeoutMillis() + " ms of connecting");
    };
  }

  /**
   * The router's first handler: marks the connection busy, refuses work beyond the in-flight bound
   * (operator endpoints excepted, so a loaded node can still be probed), and marks it idle again
   * when the response ends.
   */
  void onRequest(RoutingContext ctx) {
    Tracked t = open.get(ctx.request().connection());
    boolean upgrade = "websocket".equalsIgnoreCase(ctx.request().getHeader("upgrade"));
    if (t != null) {
      busy(t);
      if (upgrade) {
        // A stream: never idle-closed, never evicted; it leaves when its socket closes. An upgrade
        // the route refused (a plain response, not 101) leaves an ordinary connection: asking for
        // a stream must not buy a socket immunity.
        t.stream = true;
        ctx.addEndHandler(done -> {
          if (ctx.response().getStatusCode() != 101 && t.inFlight == 0 && open.containsKey(t.connection)) {
            t.stream = false;
            becameIdle(t, limits.idleTimeoutMillis(), idleTimeouts, "idle for " + limits.idleTimeoutMillis() + " ms");
          }
        });
        ctx.next();
        return;
      }
      t.inFlight++;
      ctx.addEndHandler(done -> {
        t.inFlight--;
        if (t.inFlight == 0 && !t.stream && open.containsKey(t.connection)) {
          becameIdle(t, limits.idleTimeoutMillis(), idleTimeouts,
              "idle for " + limits.idleTimeoutMillis() + " ms");
        }
      });
    }
    if (upgrade) {
      ctx.next();
      return;
    }
    String path = ctx.request().path();
    boolean operator = path.startsWith("/health/") || path.equals("/metrics");
    if (!operator && inFlight >= limits.maxRequestsInFlight()) {
      overloaded.increment();
      ctx.fail(ApiError.overloaded("the node has " + inFlight + " requests under way (limit "
          + limits.maxRequestsInFlight() + "); try again shortly", 1));
      return;
    }
    inFlight++;
    ctx.addEndHandler(done -> inFlight--);
    ctx.next();
  }

  private void busy(Tracked t) {
    idle.remove(t.connection);
    if (t.timer >= 0) {
      vertx.cancelTimer(t.timer);
      t.timer = -1;
    }
  }

  private void becameIdle(Tracked t, long timeoutMillis, Counter counter, String why) {
    idle.remove(t.connection);
    idle.put(t.connection, t); // to the end: the most recently idle
    if (t.timer >= 0) {
      vertx.cancelTimer(t.timer);
    }
    t.timer = vertx.setTimer(timeoutMillis, id -> {
      t.timer = -1;
      if (idle.remove(t.connection) != null) {
        counter.increment();
        LOG.debug("connection closed remote={} reason={}", t.connection.remoteAddress(), why);
        t.connection.close();
      }
    });
  }

  private void forget(Tracked t) {
    busy(t);
    if (open.remove(t.connection) != null) {
      openCount.set(open.size());
    }
  }

  private void logClose(String what) {
    long now = System.currentTimeMillis();
    unloggedCloses++;
    if (now - lastLog >= LOG_EVERY_MS) {
      LOG.warn("{} (x{} in the last second) open={}", what, unloggedCloses, open.size());
      lastLog = now;
      unloggedCloses = 0;
    }
  }
}
