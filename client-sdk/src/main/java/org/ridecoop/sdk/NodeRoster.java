package org.ridecoop.sdk;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes a client may talk to, in order of preference, and which of them are cooling down after
 * a failure. A node that failed (no connection, timeout, 5xx) is skipped until its cool-down ends;
 * when every node is cooling down they are all tried again in order, since a cool-down is a guess
 * and giving up would strand the rider.
 */
final class NodeRoster {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRoster.class);

  private final List<URI> nodes;
  private final Duration coolDown;
  private final Clock clock;
  private final Map<URI, Long> downUntil = new ConcurrentHashMap<>();

  NodeRoster(List<URI> nodes, Duration coolDown, Clock clock) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("at least one node URL is needed");
    }
    this.nodes = nodes.stream().map(NodeRoster::normalise).toList();
    this.coolDown = coolDown;
    this.clock = clock;
  }

  /** Every node, live ones first, each group in order of preference. */
  List<URI> inOrder() {
    long now = clock.millis();
    List<URI> live = new ArrayList<>();
    List<URI> cooling = new ArrayList<>();
    for (URI n : nodes) {
      (isDown(n, now) ? cooling : live).add(n);
    }
    live.addAll(cooling);
    return live;
  }

  /** The node calls go to now. */
  URI preferred() {
    return inOrder().get(0);
  }

  /**
   * Every node: {@code first} leads when it is live (else it comes last), then the others as in
   * {@link #inOrder}. {@code first} may be a node outside the roster: the peer node serving a ride.
   */
  List<URI> startingWith(URI first) {
    List<URI> order = new ArrayList<>(inOrder());
    if (first != null) {
      order.remove(first);
      order.add(isDown(first, clock.millis()) ? order.size() : 0, first);
    }
    return order;
  }

  /** Marks {@code node} down for the cool-down, logging why. */
  void markDown(URI node, String reason) {
    long now = clock.millis();
    Long before = downUntil.put(node, now + coolDown.toMillis());
    if (before != null && before > now) {
      LOG.debug("node {} still down ({})", node, reason);
      return;
    }
    LOG.warn("node {} is down for {} s ({}); failing over", node, coolDown.toSeconds(), reason);
  }

  /** Forgets a node's failure after it answered. */
  void markUp(URI node) {
    downUntil.remove(node);
  }

  boolean isDown(URI node) {
    return isDown(node, clock.millis());
  }

  List<URI> all() {
    return nodes;
  }

  private boolean isDown(URI node, long now) {
    Long until = downUntil.get(node);
    return until != null && until > now;
  }

  private static URI normalise(URI u) {
    String s = u.toString();
    return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }
}
