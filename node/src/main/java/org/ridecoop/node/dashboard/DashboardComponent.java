package org.ridecoop.node.dashboard;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeServices;
import org.ridecoop.node.chain.LedgerEvent;
import org.ridecoop.node.chain.LedgerEvents;
import org.ridecoop.node.store.Peer;
import org.ridecoop.node.store.RideState;
import org.ridecoop.node.store.SqliteStore;
import org.ridecoop.sdk.audit.TokenAmount;

/**
 * The dashboard as a part of the node: {@code GET /v1/node/status} and {@code GET /dashboard}.
 * Starts after the chain and settlement components (it reads the indexer and the store) and before
 * the indexer (it listens to {@code RideSettled}).
 *
 * <p>The status shows no secret and no personal data: ride counts, amounts, addresses that are on
 * chain anyway, the peers' public endpoints; never a pickup point or a route.
 */
public final class DashboardComponent implements NodeComponent {
  private static final String PAGE = "/dashboard/dashboard.html";

  private final Clock clock;
  private Buffer page;

  /** A dashboard on the system clock (UTC days). */
  public DashboardComponent() {
    this(Clock.systemUTC());
  }

  DashboardComponent(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "dashboard";
  }

  @Override
  public Future<Void> start(NodeServices services) {
    page = Buffer.buffer(resource(PAGE));
    TodaysEarnings today = new TodaysEarnings(clock, services.config().fleet(services.key().address()));
    SqliteStore store = services.store();
    LedgerEvents events = services.ledgerEvents();
    events.onEventAsync(e -> e instanceof LedgerEvent.RideSettled s
        ? store.rides().ride(s.rideId()).onSuccess(r -> r.ifPresent(ride -> today.settled(ride.driver(), s.fare(), s.commission())))
        : Future.succeededFuture());
    services.addRoutes((Router router) -> {
      router.get("/dashboard").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
          .putHeader("cache-control", "no-cache").end(page));
      router.get("/v1/node/status").handler(ctx -> status(ctx, services, today));
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }

  private void status(RoutingContext ctx, NodeServices services, TodaysEarnings today) {
    SqliteStore store = services.store();
    LedgerEvents events = services.ledgerEvents();
    // Counted by the database: every ride the node ever followed stays in its table.
    Future<Map<RideState, Integer>> rides = store.rides().countByState();
    Future<Integer> pending = store.receipts().pendingCount();
    Future<java.util.OptionalLong> oldest = store.receipts().oldestPendingQueuedAt();
    Future<List<Peer>> peers = store.peers().all();
    Future.all(rides, pending, oldest, peers).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      long now = clock.millis();
      JsonObject out = new JsonObject()
          .put("node", services.key().address())
          .put("chainId", services.chain().chainId())
          .put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
          .put("rides", ridesByState(rides.result()))
          .put("today", today(today))
          .put("settlement", new JsonObject().put("queued", pending.result())
              .put("oldestAgeSeconds", oldest.result().isPresent() ? Math.max(0, (now - oldest.result().getAsLong()) / 1000) : null))
          .put("indexer", indexer(events))
          .put("peers", peers(peers.result()));
      ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-cache").end(out.encode());
    });
  }

  private static JsonObject ridesByState(Map<RideState, Integer> counted) {
    JsonObject o = new JsonObject();
    for (RideState s : RideState.values()) {
      o.put(s.name().toLowerCase(java.util.Locale.ROOT), counted.getOrDefault(s, 0));
    }
    return o;
  }

  private static JsonObject today(TodaysEarnings today) {
    JsonArray drivers = new JsonArray();
    long rides = 0;
    java.math.BigInteger total = java.math.BigInteger.ZERO;
    for (var e : new TreeMap<>(today.today()).entrySet()) {
      rides += e.getValue().rides();
      total = total.add(e.getValue().net());
      drivers.add(new JsonObject().put("driver", e.getKey()).put("settled", e.getValue().rides())
          .put("earnings", e.getValue().net().toString()).put("earningsText", TokenAmount.format(e.getValue().net())));
    }
    return new JsonObject().put("since", today.since().toString()).put("settled", rides)
        .put("earnings", total.toString()).put("earningsText", TokenAmount.format(total)).put("drivers", drivers);
  }

  private static JsonObject indexer(LedgerEvents events) {
    long lag = events.lag();
    JsonObject o = new JsonObject();
    events.lastProcessedBlock().ifPresentOrElse(b -> o.put("cursor", b), () -> o.putNull("cursor"));
    if (lag == Long.MAX_VALUE) {
      o.putNull("head").putNull("lagBlocks");
    } else {
      o.put("lagBlocks", lag);
      events.lastProcessedBlock().ifPresentOrElse(b -> o.put("head", b + lag), () -> o.putNull("head"));
    }
    return o;
  }

  private static JsonArray peers(List<Peer> peers) {
    JsonArray a = new JsonArray();
    for (Peer p : peers) {
      a.add(new JsonObject().put("address", p.address()).put("endpoint", p.endpoint().toString())
          .put("state", p.status().name().toLowerCase(java.util.Locale.ROOT)).put("failures", p.failures())
          .put("lastSeenAt", p.lastSeenAt().orElse(null)).put("reason", p.statusReason().orElse(null)));
    }
    return a;
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardComponent.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
