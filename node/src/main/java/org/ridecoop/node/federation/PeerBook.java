package org.ridecoop.node.federation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.ridecoop.node.store.Peer;
import org.ridecoop.node.store.PeerDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers this node talks to: the usable nodes of the on-chain registry (operator an active
 * driver member), this node excepted. Refreshed from the chain periodically and when a registry or
 * membership event arrives, and kept in the store's peer table. A peer that misbehaves {@code
 * faultLimit} times in a row is ignored for {@code penaltyMillis}; the chain decides everything
 * else: an unknown, removed or unusable node is never a peer.
 */
public final class PeerBook {

  private static final Logger LOG = LoggerFactory.getLogger(PeerBook.class);

  private final NodeRegistry registry;
  private final PeerDirectory directory;
  private final String self;
  private final int faultLimit;
  private final long penaltyMillis;
  private final LongSupplier clock;
  private final Map<String, RegisteredNode> usable = new ConcurrentHashMap<>();
  // Every registered node's operator (usable or not), so a membership event finds the nodes it touches.
  private final Map<String, String> operators = new ConcurrentHashMap<>();
  // One registry read per node at a time: a read begun before a chain change cannot land after the
  // read that saw the change (the periodic refresh, events and inbound lookups all read nodes).
  private final Map<String, Future<Optional<RegisteredNode>>> reads = new ConcurrentHashMap<>();
  private final Map<String, Integer> faults = new ConcurrentHashMap<>();
  private final Map<String, Long> ignoredUntil = new ConcurrentHashMap<>();
  // Anyone can sign with a fresh key; these bound the chain lookups strangers can cause.
  private final TokenBuckets lookups = new TokenBuckets(20, 10, System::nanoTime);
  private final Map<String, Long> strangers = new ConcurrentHashMap<>();
  private static final long STRANGER_MEMORY_MILLIS = 10_000;
  private static final int STRANGERS_KEPT = 10_000;

  /**
   * @param registry the chain's node registry
   * @param directory the store's peer table
   * @param self this node's address (never its own peer)
   * @param faultLimit consecutive faults after which a peer is ignored
   * @param penaltyMillis how long it is ignored
   * @param clock unix ms
   */
  public PeerBook(NodeRegistry registry, PeerDirectory directory, String self, int faultLimit, long penaltyMillis,
      LongSupplier clock) {
    this.registry = registry;
    this.directory = directory;
    this.self = self.toLowerCase(Locale.ROOT);
    this.faultLimit = faultLimit;
    this.penaltyMillis = penaltyMillis;
    this.clock = clock;
  }

  /** Reads the whole registry again; nodes gone from it are forgotten, unusable ones excluded. */
  public Future<Void> refresh() {
    return registry.nodes().compose(nodes -> {
      List<Future<?>> each = new ArrayList<>();
      for (String n : nodes) {
        each.add(refresh(n));
      }
      Set<String> registered = new HashSet<>(nodes);
      return Future.all(each).compose(v -> directory.all()).compose(known -> {
        Set<String> missing = new HashSet<>();
        known.forEach(p -> missing.add(p.address()));
        missing.addAll(usable.keySet());
        missing.addAll(operators.keySet());
        missing.removeAll(registered);
        // Read each one again rather than drop it: it may have been registered since the list was read.
        List<Future<?>> gone = new ArrayList<>();
        for (String a : missing) {
          gone.add(refresh(a));
        }
        return Future.all(gone).<Void>mapEmpty();
      });
    });
  }

  /** Reads one node's registration again (after a NodeRegistered/Updated/Removed event). */
  public Future<Void> refresh(String node) {
    String address = node.toLowerCase(Locale.ROOT);
    strangers.remove(address);
    if (address.equals(self)) {
      return Future.succeededFuture();
    }
    return read(address).mapEmpty();
  }

  /**
   * Reads again the nodes operated by {@code account} (after its membership changed: suspended,
   * excluded, reinstated, left, joined); nothing to do for an account that runs no known node.
   */
  public Future<Void> refreshOperatedBy(String account) {
    String operator = account.toLowerCase(Locale.ROOT);
    List<Future<?>> each = new ArrayList<>();
    operators.forEach((node, op) -> {
      if (op.equals(operator)) {
        each.add(refresh(node));
      }
    });
    return Future.all(each).mapEmpty();
  }

  /** Reads {@code address} from the registry and learns it, after any read of it under way. */
  private Future<Optional<RegisteredNode>> read(String address) {
    Promise<Optional<RegisteredNode>> mine = Promise.promise();
    Future<Optional<RegisteredNode>> before = reads.put(address, mine.future());
    Future<?> turn = before == null ? Future.succeededFuture() : before.transform(ar -> Future.succeededFuture());
    turn.compose(v -> registry.nodeOf(address)).compose(found -> learn(address, found)).onComplete(mine);
    mine.future().onComplete(ar -> reads.remove(address, mine.future()));
    return mine.future();
  }

  /**
   * The sender of an inbound message as a usable registered node, or empty. A node not yet in the
   * book is looked up on chain, so a node registered a moment ago is heard at once.
   */
  public Future<Optional<RegisteredNode>> usableSender(String address) {
    String a = address.toLowerCase(Locale.ROOT);
    RegisteredNode known = usable.get(a);
    if (known != null) {
      return Future.succeededFuture(Optional.of(known));
    }
    if (a.equals(self)) {
      return Future.succeededFuture(Optional.empty());
    }
    long now = clock.getAsLong();
    Long until = strangers.get(a);
    if ((until != null && until > now) || !lookups.tryTake("chain")) {
      return Future.succeededFuture(Optional.empty());
    }
    return read(a).onSuccess(found -> {
      if (found.isEmpty()) {
        if (strangers.size() >= STRANGERS_KEPT) {
          strangers.clear();
        }
        strangers.put(a, now + STRANGER_MEMORY_MILLIS);
      }
    });
  }

  /** The peers, not ignored now, whose service area holds {@code cell}. */
  public List<RegisteredNode> covering(long cell) {
    long now = clock.getAsLong();
    return usable.values().stream()
        .filter(n -> n.serves(cell))
        .filter(n -> ignoredUntil.getOrDefault(n.address(), 0L) <= now)
        .sorted(java.util.Comparator.comparing(RegisteredNode::address))
        .toList();
  }

  /**
   * Whether a usable peer's service area holds {@code cell}, counting peers ignored for now for
   * misbehaviour: a penalty is temporary and does not take the place out of the network's area.
   */
  public boolean covers(long cell) {
    return usable.values().stream().anyMatch(n -> n.serves(cell));
  }

  /** The usable peers known now. */
  public List<RegisteredNode> peers() {
    return List.copyOf(usable.values());
  }

  /** Whether {@code peer} is being ignored for misbehaviour. */
  public boolean ignored(String peer) {
    return ignoredUntil.getOrDefault(peer.toLowerCase(Locale.ROOT), 0L) > clock.getAsLong();
  }

  /** Records a good exchange with {@code peer}. */
  public void success(String peer) {
    String a = peer.toLowerCase(Locale.ROOT);
    faults.remove(a);
    directory.recordSuccess(a).onFailure(e -> LOG.warn("peer record failed peer={}", a, e));
  }

  /** Records a fault of {@code peer}: after {@code faultLimit} in a row it is ignored for a while. */
  public void fault(String peer, String why) {
    String a = peer.toLowerCase(Locale.ROOT);
    int n = faults.merge(a, 1, Integer::sum);
    LOG.info("peer fault peer={} faults={} reason={}", a, n, why);
    directory.recordFailure(a).onFailure(e -> LOG.warn("peer record failed peer={}", a, e));
    if (n >= faultLimit) {
      faults.remove(a);
      ignoredUntil.put(a, clock.getAsLong() + penaltyMillis);
      LOG.warn("peer ignored peer={} forMillis={} reason={}", a, penaltyMillis, why);
    }
  }

  private Future<Optional<RegisteredNode>> learn(String address, Optional<RegisteredNode> found) {
    if (found.isPresent()) {
      operators.put(address, found.get().operator().toLowerCase(Locale.ROOT));
    } else {
      operators.remove(address);
    }
    if (found.isPresent() && found.get().usable()) {
      RegisteredNode n = found.get();
      if (usable.put(address, n) == null) {
        LOG.info("peer usable peer={} endpoint={} cells={}", address, n.endpoint(), n.cells().size());
      }
      return directory.register(address, n.endpoint(), n.cells())
          .compose(v -> directory.find(address))
          .compose(p -> p.isPresent() && p.get().status() == org.ridecoop.node.store.PeerStatus.EXCLUDED
              ? directory.reinstate(address) : Future.succeededFuture())
          .map(found);
    }
    if (usable.remove(address) != null) {
      LOG.info("peer dropped peer={} reason={}", address,
          found.isPresent() ? "operator is not an active driver member" : "not in the registry");
    }
    if (found.isPresent()) {
      // registered, but its operator is no longer an active driver member
      return directory.register(address, found.get().endpoint(), found.get().cells())
          .compose(v -> directory.exclude(address, "operator is not an active driver member"))
          .map(Optional.empty());
    }
    return directory.forget(address).map(Optional.empty());
  }
}
