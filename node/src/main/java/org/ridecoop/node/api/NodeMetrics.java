package org.ridecoop.node.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's own meters, next to Vert.x's HTTP metrics on {@code /metrics}. Names as Prometheus
 * shows them:
 *
 * <ul>
 *   <li>{@code ridecoop_matches_total}: riders matched with a driver;
 *   <li>{@code ridecoop_request_offer_seconds}: time from a ride request to its first offer
 *       (histogram);
 *   <li>{@code ridecoop_queue_size{queue="requests"|"receipts"|...}}: items waiting;
 *   <li>{@code ridecoop_gas_spent_total}: gas used by this node's transactions;
 *   <li>{@code ridecoop_peers}: active peer nodes.
 * </ul>
 *
 * Gauges read numbers held here, never the database, so a scrape never blocks.
 */
public final class NodeMetrics {

  /** The open ride requests queue. */
  public static final String REQUESTS = "requests";
  /** The co-signed receipts awaiting settlement. */
  public static final String RECEIPTS = "receipts";

  private final MeterRegistry registry;
  private final Counter matches;
  private final Timer requestToOffer;
  private final Counter gasSpent;
  private final AtomicInteger peers = new AtomicInteger();
  private final Map<String, AtomicLong> queues = new ConcurrentHashMap<>();

  /** Registers the meters in {@code registry}. */
  public NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.matches = Counter.builder("ridecoop.matches")
        .description("Riders matched with a driver")
        .register(registry);
    this.requestToOffer = Timer.builder("ridecoop.request.offer")
        .description("Time from a ride request to its first offer")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
    this.gasSpent = Counter.builder("ridecoop.gas.spent")
        .description("Gas used by transactions this node sent")
        .register(registry);
    Gauge.builder("ridecoop.peers", peers, AtomicInteger::get)
        .description("Active peer nodes")
        .register(registry);
    queue(REQUESTS);
    queue(RECEIPTS);
  }

  /** Counts one match. */
  public void matchMade() {
    matches.increment();
  }

  /** Records how long a request waited for its first offer. */
  public void requestToOffer(Duration latency) {
    requestToOffer.record(latency);
  }

  /** Adds the gas a mined transaction used. */
  public void gasSpent(BigInteger gasUsed) {
    gasSpent.increment(gasUsed.doubleValue());
  }

  /** Sets the number of active peers. */
  public void peers(int count) {
    peers.set(count);
  }

  /** Sets the size of a queue (registering its gauge on first use). */
  public void queueSize(String queue, long size) {
    queue(queue).set(size);
  }

  /** The registry the meters live in. */
  public MeterRegistry registry() {
    return registry;
  }

  private AtomicLong queue(String name) {
    return queues.computeIfAbsent(name, n -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder("ridecoop.queue.size", holder, AtomicLong::get)
          .description("Items waiting in a node queue")
          .tag("queue", n)
          .register(registry);
      return holder;
    });
  }
}
