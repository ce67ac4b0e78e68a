package org.ridecoop.node.ride;

import com.uber.h3core.H3Core;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeServices;
import org.ridecoop.node.api.ApiError;
import org.ridecoop.node.chain.LedgerEvent;
import org.ridecoop.node.chain.LedgerEvents;
import org.ridecoop.node.matching.DriverId;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.matching.MatchOutcome;
import org.ridecoop.node.matching.MatchingConfig;
import org.ridecoop.node.matching.MatchingEngine;
import org.ridecoop.node.matching.NoLocalDriver;
import org.ridecoop.node.matching.OfferReason;
import org.ridecoop.node.matching.RideId;
import org.ridecoop.node.settlement.SettlementQueue;
import org.ridecoop.node.store.RideInProgress;
import org.ridecoop.node.store.RideState;
import org.ridecoop.node.store.SignedOffer;
import org.ridecoop.node.store.SqliteStore;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * The ride lifecycle on this node: requested, offered, accepted, booked (seen on chain), arrived,
 * picked up, dropped off, receipt co-signed, settled; or cancelled, disputed. It feeds the
 * {@link MatchingEngine} with riders' signed requests and the local drivers' positions, relays
 * offers to drivers and the drivers' signed offers back to riders, follows the ledger's ride
 * events, and hands co-signed receipts to the node's settlement queue. The HTTP and WebSocket routes are in
 * {@link RideApi}.
 *
 * <h2>Threads</h2>
 *
 * All state here (the engine, pending requests, open sockets) belongs to the desk's own event-loop
 * context: a small verticle deployed when the desk starts. Everything that touches the state runs
 * there: the matching window and expiry timers, the ledger events, {@link #offersFor} (called by
 * the federation layer), and every route of {@link RideApi}, which hops onto the desk with
 * {@link #onDesk} and back to the HTTP connection to answer. Messages to WebSocket followers are
 * written on the socket's own context.
 *
 * <p>Why a context of its own rather than the HTTP verticle's: the node deploys the HTTP server
 * after every component has started, but the event indexer (started before it) delivers
 * backfilled events at once. With its own context from {@link #start}, the desk can take events
 * before the HTTP server exists, so none is dropped or has to be parked, and a listener never
 * waits on a component that may never start.
 *
 * <h2>Ledger events</h2>
 *
 * The desk follows {@code RideBooked}, {@code ReceiptSubmitted}, {@code RideSettled},
 * {@code RideCancelled}, {@code RideReclaimed}, {@code RideDisputed} and {@code DisputeResolved}
 * through the node's indexer ({@link LedgerEvents#onEventAsync}), which resumes from its stored
 * cursor: a ride booked while the node was down is followed once the node is back. The indexer
 * records an event only after the desk's store write completed, and every write is idempotent
 * (a ride is started once, a state moves by compare-and-set and never leaves a final state), so an
 * event delivered again after a crash changes nothing and is pushed to followers only once.
 *
 * <h2>Durability</h2>
 *
 * Requests, accepted offers, rides and receipts are written to the store before the API answers.
 * Exact pickup and drop-off points, driver positions and outstanding offers live only in memory:
 * personal data is kept no longer than the ride needs it, and a restarted node asks riders and
 * drivers again.
 */
public final class RideDesk implements NodeComponent {

  private static final Logger LOG = LoggerFactory.getLogger(RideDesk.class);

  /** H3 resolution of the cells in a signed request (about 5 km²). */
  public static final int REQUEST_CELL_RESOLUTION = 7;

  /**
   * @param drivers the drivers this node serves (addresses; each must be an active driver on chain)
   * @param detourFactor road distance over great-circle distance for quotes without a route
   * @param offerValiditySeconds how long a driver's signed offer can be booked
   * @param peerAskTimeout how long a peer's request may wait for local offers
   */
  public record Settings(List<String> drivers, double detourFactor, long offerValiditySeconds,
      Duration peerAskTimeout) {

    /** Normalises addresses. */
    public Settings {
      drivers = drivers.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    /** Defaults for {@code drivers}: detour 1.3, offers bookable for two minutes, peers wait 60 s. */
    public static Settings of(List<String> drivers) {
      return new Settings(drivers, 1.3, 120, Duration.ofSeconds(60));
    }
  }

  /** A request being matched, with what only this node may know of it. */
  static final class Pending {
    final SignedRideRequest signed;
    final BigInteger rideId;
    final LatLng pickup;
    final LatLng dropoff;
    /** The federation's promise when the request came from a peer; null for a local rider. */
    Promise<List<SignedOffer>> forPeer;
    /** The unsigned offer outstanding with a driver, and why that driver. */
    Offer outstanding;
    OfferReason outstandingWhy;
    /** Offers the drivers signed, with the reasons, by offer hash. */
    final Map<String, JsonObject> signedOffers = new LinkedHashMap<>();
    boolean cancelled;
    /**
     * Where matching stands, as last pushed to the ride's followers: requested, offered (to a
     * driver) or asking_peers; with why when no local driver could take it (a NoLocalDriver reason).
     */
    String matching = "requested";
    String matchingWhy;

    Pending(SignedRideRequest signed, LatLng pickup, LatLng dropoff) {
      this.signed = signed;
      this.rideId = RideIds.of(signed.request().rider(), signed.request().rideNonce());
      this.pickup = pickup;
      this.dropoff = dropoff;
    }

    String requestHash() {
      return signed.requestHash();
    }
  }

  /** How often a state the chain reports is retried when a route moved the ride at the same time. */
  private static final int CHAIN_MOVE_ATTEMPTS = 3;

  private final PeerOffers peers;
  private final Settings settings;
  private final Clock clock;
  private final H3Core h3;
  private Vertx vertx;
  private NodeServices services;
  private SqliteStore store;
  private RideChain chain;
  private MatchingEngine engine;
  private volatile Context deskContext;
  private String loopDeployment;
  private long maxRequestAheadSeconds = org.ridecoop.node.config.NodeConfig.Matching.DEFAULT_MAX_REQUEST_AHEAD_SECONDS;
  private int maxPendingRequests = org.ridecoop.node.config.NodeConfig.Matching.DEFAULT_MAX_PENDING_REQUESTS;
  private io.micrometer.core.instrument.Counter backlogRefusals;
  private final java.util.concurrent.atomic.AtomicInteger reservedSlots = new java.util.concurrent.atomic.AtomicInteger();
  /** This node's service area as the registry has it: the resolution-7 parents of the configured cells. */
  private Set<Long> ownCells = Set.of();

  private final Map<String, Pending> byRequestHash = new HashMap<>();
  private final Map<BigInteger, Pending> byRideId = new HashMap<>();
  private final Set<String> online = new HashSet<>();
  private final Map<String, Set<Follower>> driverSockets = new HashMap<>();
  private final Map<BigInteger, Set<Follower>> rideSockets = new HashMap<>();

  /**
   * @param peers asked when no local driver can serve a request ({@link PeerOffers#NONE} alone)
   * @param settings the drivers and the quoting rules
   * @param clock for expiries
   */
  public RideDesk(PeerOffers peers, Settings settings, Clock clock) {
    this.peers = peers;
    this.settings = settings;
    this.clock = clock;
    try {
      this.h3 = H3Core.newInstance();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the H3 library", e);
    }
  }

  @Override
  public String name() {
    return "rides";
  }

  /**
   * Starts the desk on a context of its own and subscribes it to the ledger's ride events. Needs
   * the chain component started before it (views, events); the settlement queue is looked up
   * when the first receipt is co-signed.
   */
  @Override
  public Future<Void> start(NodeServices services) {
    this.vertx = services.vertx();
    this.services = services;
    this.store = services.store();
    this.chain = new RideChain(services.chain());
    var m = services.config().matching();
    this.engine = new MatchingEngine(new MatchingConfig(9, Duration.ofMillis(m.windowMillis()), 4, 32, 900, 60,
        Duration.ofMillis(m.offerTimeoutMillis()), 5));
    this.maxRequestAheadSeconds = m.maxRequestAheadSeconds();
    this.maxPendingRequests = m.maxPendingRequests();
    this.ownCells = registryCells(services.config().node().serviceArea());
    this.backlogRefusals = io.micrometer.core.instrument.Counter.builder("ridecoop.http.refused")
        .tag("reason", "pending_requests").description("requests refused with 503 because the node was overloaded")
        .register(services.registry());
    return vertx.deployVerticle(new Loop(m.windowMillis())).map(id -> {
      loopDeployment = id;
      // Registered before the indexer starts (it is the node's last component): no event is missed.
      services.ledgerEvents().onEventAsync(this::follow);
      services.addRoutes(router -> new RideApi(this).mount(router));
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    // Work offered to a stopped desk fails at once instead of waiting on an undeployed context.
    return loopDeployment == null ? Future.succeededFuture()
        : vertx.undeploy(loopDeployment).onComplete(ar -> deskContext = null);
  }

  /** The desk's event loop: its context is the desk's, its timers close matching windows. */
  private final class Loop extends VerticleBase {
    private final long windowMillis;
    private long windowTimer = -1;
    private long expiryTimer = -1;

    Loop(long windowMillis) {
      this.windowMillis = windowMillis;
    }

    @Override
    public Future<?> start() {
      deskContext = context;
      windowTimer = vertx.setPeriodic(windowMillis, id -> closeWindow());
      expiryTimer = vertx.setPeriodic(10_000, id -> forgetExpired());
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      vertx.cancelTimer(windowTimer);
      vertx.cancelTimer(expiryTimer);
      return Future.succeededFuture();
    }
  }

  // ---------------------------------------------------------------- the federation's seam

  /**
   * Offers of this node's drivers for a request that came from a peer node. Local drivers only:
   * the request is never forwarded. Completes with the drivers' signed offers (at most one, the
   * driver that accepted), or an empty list when no local driver takes it within the peer timeout.
   * Once the rider books such an offer, this node follows the ride to its end like its own
   * riders' rides (the rider's node may be gone by then).
   *
   * @param request the rider's signed request (the signature is checked here)
   * @param pickup the exact pickup point, which the matched driver needs; it must lie in the
   *     request's pickup cell (else a 400 {@link ApiError})
   */
  public Future<List<SignedOffer>> offersFor(SignedRideRequest request, LatLng pickup) {
    if (requestCell(pickup) != request.request().pickupCell()) {
      return Future.failedFuture(ApiError.badRequest("invalid_value", "the pickup point is not in the request's"
          + " pickup cell " + Long.toHexString(request.request().pickupCell())));
    }
    var dropoff = h3.cellToLatLng(request.request().dropoffCell());
    return offersFor(request, pickup, new LatLng(dropoff.lat, dropoff.lng));
  }

  /**
   * As {@link #offersFor(SignedRideRequest, LatLng)} when the peer sent no exact point: drivers are
   * matched to the centre of the request's pickup cell (resolution 7, within about 1.5 km).
   */
  public Future<List<SignedOffer>> offersFor(SignedRideRequest request) {
    var centre = h3.cellToLatLng(request.request().pickupCell());
    var dropoff = h3.cellToLatLng(request.request().dropoffCell());
    return offersFor(request, new LatLng(centre.lat, centre.lng), new LatLng(dropoff.lat, dropoff.lng));
  }

  private Future<List<SignedOffer>> offersFor(SignedRideRequest request, LatLng pickup, LatLng dropoff) {
    Promise<List<SignedOffer>> result = Promise.promise();
    onDesk(() -> {
      if (!request.signedByRider(chain.ledgerDomain())) {
        return Future.failedFuture(new IllegalArgumentException("the request is not signed by its rider"));
      }
      if (request.request().expiry() < nowSeconds() || byRequestHash.containsKey(request.requestHash())) {
        return Future.succeededFuture(List.<SignedOffer>of());
      }
      if (byRequestHash.size() + reservedSlots.get() >= maxPendingRequests) {
        // A peer's request counts against the same bounded backlog: past it, no offer from here.
        if (backlogRefusals != null) {
          backlogRefusals.increment();
        }
        LOG.warn("peer request not taken: {} requests being matched (matching.maxPendingRequests)",
            byRequestHash.size());
        return Future.succeededFuture(List.<SignedOffer>of());
      }
      Pending p = new Pending(request, pickup, dropoff);
      p.forPeer = Promise.promise();
      track(p);
      engine.submit(new org.ridecoop.node.matching.RideRequest(new RideId(p.requestHash()), pickup));
      vertx.setTimer(settings.peerAskTimeout().toMillis(), id -> {
        if (p.forPeer.tryComplete(List.of())) {
          engine.cancel(new RideId(p.requestHash()));
          untrack(p);
        }
      });
      return p.forPeer.future();
    }).onComplete(result);
    return result.future();
  }

  // ---------------------------------------------------------------- for RideApi (on the desk's loop)

  RideChain chain() {
    return chain;
  }

  SqliteStore store() {
    return store;
  }

  /** The node's settlement queue: the one way co-signed receipts go to be paid. */
  SettlementQueue settlement() {
    return services.settlement();
  }

  Settings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  long nowSeconds() {
    return clock.millis() / 1000;
  }

  /** The H3 resolution-7 cell of a point. */
  long requestCell(LatLng p) {
    return h3.latLngToCell(p.lat(), p.lng(), REQUEST_CELL_RESOLUTION);
  }

  /**
   * Whether a request picked up in the resolution-7 {@code pickupCell} can be served: this node's
   * service area holds it, or a known usable peer's does (the peers are asked when no local driver
   * can take the ride). Otherwise no driver of the network will ever be asked for it.
   */
  boolean serves(long pickupCell) {
    return ownCells.contains(pickupCell) || peers.covers(pickupCell);
  }

  /**
   * The resolution-7 cells of a configured service area, as the node registers them on chain (the
   * registry keeps each cell's resolution-7 parent). The chain component refuses to register
   * coarser cells, so a running node has none; they are skipped here rather than guessed.
   */
  private Set<Long> registryCells(List<Long> serviceArea) {
    Set<Long> cells = new HashSet<>();
    for (long cell : serviceArea) {
      if (h3.getResolution(cell) >= REQUEST_CELL_RESOLUTION) {
        cells.add(h3.cellToParent(cell, REQUEST_CELL_RESOLUTION));
      }
    }
    return Set.copyOf(cells);
  }

  /** How far ahead a ride request's expiry may be (NodeConfig {@code matching.maxRequestAheadSeconds}). */
  long maxRequestAheadSeconds() {
    return maxRequestAheadSeconds;
  }

  /**
   * Takes a place for a new request among the {@code matching.maxPendingRequests} being matched,
   * or refuses it with 503 {@code overloaded}: the backlog is bounded, a refused rider retries (or
   * its SDK fails over to another node). The place is held while the request is checked and stored
   * (concurrent requests cannot all slip in) and must be given back with {@link #releaseRequestSlot}
   * once it was submitted or refused.
   */
  void reserveRequestSlot() {
    int taken = byRequestHash.size() + reservedSlots.get();
    if (taken >= maxPendingRequests) {
      if (backlogRefusals != null) {
        backlogRefusals.increment();
      }
      throw ApiError.overloaded("the node is matching " + taken + " requests (limit "
          + maxPendingRequests + "); try again shortly or another node", 2);
    }
    reservedSlots.incrementAndGet();
  }

  /** Gives back a place taken by {@link #reserveRequestSlot}. */
  void releaseRequestSlot() {
    reservedSlots.decrementAndGet();
  }

  boolean isLocalDriver(String address) {
    return settings.drivers().contains(address.toLowerCase(Locale.ROOT));
  }

  Optional<Pending> pending(BigInteger rideId) {
    return Optional.ofNullable(byRideId.get(rideId));
  }

  Optional<Pending> pendingByHash(String requestHash) {
    return Optional.ofNullable(byRequestHash.get(requestHash.toLowerCase(Locale.ROOT)));
  }

  /** Matches a stored local request (the caller stored it). */
  void submit(Pending p) {
    track(p);
    engine.submit(new org.ridecoop.node.matching.RideRequest(new RideId(p.requestHash()), p.pickup));
    pushRide(p.rideId, matchingStatus(p));
  }

  boolean isOnline(String driver) {
    return online.contains(driver);
  }

  void driverOnline(String driver, LatLng at) {
    online.add(driver);
    engine.driverOnline(new DriverId(driver), at);
  }

  boolean driverMoved(String driver, LatLng at) {
    return engine.driverMoved(new DriverId(driver), at);
  }

  boolean driverOffline(String driver) {
    online.remove(driver);
    return engine.driverOffline(new DriverId(driver));
  }

  /** The offer outstanding with {@code driver} for a request, if still outstanding. */
  Optional<Pending> outstandingWith(String requestHash, String driver) {
    Pending p = byRequestHash.get(requestHash.toLowerCase(Locale.ROOT));
    if (p == null || p.outstanding == null || !p.outstanding.driver().equalsIgnoreCase(driver)) {
      return Optional.empty();
    }
    return Optional.of(p);
  }

  /** The driver accepted with a signature that was checked; the caller stored the offer. */
  void accepted(Pending p, SignedOffer signed) {
    engine.accepted(new RideId(p.requestHash()), new DriverId(signed.offer().driver().toLowerCase(Locale.ROOT)));
    online.remove(signed.offer().driver().toLowerCase(Locale.ROOT));
    JsonObject json = RideJson.signedOffer(signed, p.outstandingWhy);
    p.signedOffers.put(signed.offerHash(), json);
    p.outstanding = null;
    p.outstandingWhy = null;
    if (p.forPeer != null) {
      if (p.forPeer.tryComplete(List.of(signed))) {
        untrack(p);
      }
      return;
    }
    pushRide(p.rideId, new JsonObject().put("type", "offer").put("rideId", p.rideId.toString()).put("offer", json));
  }

  /** Whether {@code driver} still held the offer; the ride goes to its next candidate. */
  boolean declined(Pending p, String driver) {
    boolean held = engine.declined(new RideId(p.requestHash()), new DriverId(driver));
    if (held) {
      p.outstanding = null;
      p.outstandingWhy = null;
    }
    return held;
  }

  /** The rider withdrew a request that was not booked. */
  void cancelRequest(Pending p) {
    p.cancelled = true;
    engine.cancel(new RideId(p.requestHash()));
    withdrawOutstanding(p);
    untrack(p);
    pushRide(p.rideId, status(p.rideId, "cancelled"));
  }

  /**
   * The status message of a request being matched: its matching state (requested, offered,
   * asking_peers) and, when no local driver could take it, why. What the stream pushed last, so
   * that a follower arriving late, or a GET, sees the same.
   */
  JsonObject matchingStatus(Pending p) {
    JsonObject status = status(p.rideId, p.matching);
    if (p.matchingWhy != null) {
      status.put("why", p.matchingWhy);
    }
    return status;
  }

  /** Offers signed for a request (local or from peers), in the order they came. */
  JsonArray offers(Pending p) {
    return new JsonArray(new ArrayList<>(p.signedOffers.values()));
  }

  /**
   * A driver's screen connected; {@code wsContext} is the socket's own context (the HTTP
   * connection's), where its messages are written.
   */
  void addDriverSocket(String driver, ServerWebSocket ws, Context wsContext) {
    Follower f = new Follower(ws, wsContext, false);
    driverSockets.computeIfAbsent(driver, k -> new HashSet<>()).add(f);
    ws.closeHandler(v -> onDesk(() -> {
      driverSockets.getOrDefault(driver, new HashSet<>()).remove(f);
      return Future.succeededFuture();
    }));
    // An offer made before the driver connected is not lost.
    for (Pending p : byRequestHash.values()) {
      if (p.outstanding != null && p.outstanding.driver().equalsIgnoreCase(driver)) {
        f.send(offerToDriver(p));
      }
    }
  }

  /**
   * A rider (or anyone with the ride id) follows a ride: first its current state (and the offers
   * while it is being matched), then every move; an unknown ride gets an error and is closed. See
   * {@link #addDriverSocket} for {@code wsContext}.
   */
  Future<Void> followRide(BigInteger rideId, ServerWebSocket ws, Context wsContext) {
    // Following before the read, pushes held back: a move while reading is neither lost nor
    // shown before the state it follows (at worst the current state is seen twice).
    Follower f = new Follower(ws, wsContext, true);
    rideSockets.computeIfAbsent(rideId, k -> new HashSet<>()).add(f);
    ws.closeHandler(v -> onDesk(() -> {
      unfollow(rideId, f);
      return Future.succeededFuture();
    }));
    return store.rides().ride(rideId).transform(ar -> {
      Optional<Pending> p = pending(rideId);
      Optional<RideInProgress> found = ar.succeeded() ? ar.result() : Optional.empty();
      if (found.isEmpty() && p.isEmpty()) {
        unfollow(rideId, f);
        f.refuse(new JsonObject().put("type", "error").put("error", "not_found")
            .put("reason", "no ride " + rideId + " on this node"), "no such ride");
        return Future.succeededFuture();
      }
      List<JsonObject> first = new ArrayList<>();
      // A booked ride's state comes from the store; a request still being matched says how far it got.
      first.add(found.map(r -> status(rideId, RideJson.state(r.state()))).orElseGet(() -> matchingStatus(p.get())));
      p.ifPresent(pending -> offers(pending).forEach(o -> first.add(new JsonObject()
          .put("type", "offer").put("rideId", rideId.toString()).put("offer", o))));
      f.open(first);
      return Future.succeededFuture();
    });
  }

  private void unfollow(BigInteger rideId, Follower f) {
    Set<Follower> followers = rideSockets.get(rideId);
    if (followers != null) {
      followers.remove(f);
      if (followers.isEmpty()) {
        rideSockets.remove(rideId);
      }
    }
  }

  /** Tells the ride's followers its new state. */
  void rideMoved(BigInteger rideId, RideState state) {
    pushRide(rideId, status(rideId, RideJson.state(state)));
  }

  /**
   * Runs pure CPU work (a signature's key recovery) on a worker thread, so the desk's one loop
   * keeps serving; the future completes back on the caller's context (the desk's, for routes).
   */
  <T> Future<T> offLoop(java.util.concurrent.Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /**
   * Runs {@code work} on the desk's event loop; a {@link RuntimeException} it throws fails the
   * future. The future completes on the desk's context.
   */
  <T> Future<T> onDesk(Supplier<Future<T>> work) {
    Context context = deskContext;
    if (context == null) {
      return Future.failedFuture(new IllegalStateException("the ride desk is not started"));
    }
    if (Vertx.currentContext() == context) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  // ---------------------------------------------------------------- matching

  private void track(Pending p) {
    byRequestHash.put(p.requestHash(), p);
    byRideId.put(p.rideId, p);
  }

  private void untrack(Pending p) {
    byRequestHash.remove(p.requestHash());
    byRideId.remove(p.rideId, p);
  }

  /** Tells the driver holding an unanswered offer for {@code p} that the ride is gone. */
  private void withdrawOutstanding(Pending p) {
    if (p.outstanding != null) {
      pushDriver(p.outstanding.driver().toLowerCase(Locale.ROOT), new JsonObject().put("type", "offer_withdrawn")
          .put("requestHash", p.requestHash()));
      p.outstanding = null;
      p.outstandingWhy = null;
    }
  }

  private void closeWindow() {
    List<MatchOutcome> outcomes = engine.closeWindow(Instant.ofEpochMilli(clock.millis()));
    for (MatchOutcome o : outcomes) {
      Pending p = byRequestHash.get(o.ride().value());
      if (p == null) {
        continue;
      }
      switch (o) {
        case org.ridecoop.node.matching.Offer offer -> offerToDriver(p, offer)
            .onFailure(e -> LOG.warn("offer for {} failed: {}", p.requestHash(), e.toString()));
        case NoLocalDriver none -> noLocalDriver(p, none);
      }
    }
  }

  private Future<Void> offerToDriver(Pending p, org.ridecoop.node.matching.Offer match) {
    if (p.outstanding != null && !p.outstanding.driver().equalsIgnoreCase(match.driver().value())) {
      // The previous driver let the offer time out: tell it the ride is gone.
      pushDriver(p.outstanding.driver().toLowerCase(Locale.ROOT), new JsonObject().put("type", "offer_withdrawn")
          .put("requestHash", p.requestHash()));
    }
    return chain.currentScheduleVersion().map(version -> {
      var q = p.signed.request();
      p.outstanding = new Offer(q.structHash(), q.rider(), match.driver().value(), q.maxFare(), q.rideNonce(),
          match.why().etaSeconds(), version, nowSeconds() + settings.offerValiditySeconds());
      p.outstandingWhy = match.why();
      pushDriver(match.driver().value(), offerToDriver(p));
      p.matching = "offered";
      p.matchingWhy = null;
      pushRide(p.rideId, matchingStatus(p));
      return null;
    });
  }

  private JsonObject offerToDriver(Pending p) {
    return new JsonObject().put("type", "offer")
        .put("requestHash", p.requestHash())
        .put("offer", RideJson.offer(p.outstanding))
        .put("digest", Numeric.toHexString(chain.ledgerDomain().digest(p.outstanding.structHash())))
        .put("pickup", RideJson.point(p.pickup))
        .put("dropoff", RideJson.point(p.dropoff))
        .put("why", RideJson.reason(p.outstandingWhy));
  }

  private void noLocalDriver(Pending p, NoLocalDriver none) {
    p.outstanding = null;
    if (p.forPeer != null) {
      // A peer's request is never forwarded again.
      if (p.forPeer.tryComplete(List.of())) {
        untrack(p);
      }
      return;
    }
    p.matching = "asking_peers";
    p.matchingWhy = none.reason().name().toLowerCase(Locale.ROOT);
    pushRide(p.rideId, matchingStatus(p));
    peers.ask(p.signed, p.pickup).onComplete(ar -> {
      if (ar.failed() || p.cancelled) {
        return;
      }
      for (org.ridecoop.node.federation.PeerOffer served : ar.result()) {
        SignedOffer o = served.offer();
        if (p.cancelled || !validPeerOffer(p, o)) {
          continue;
        }
        store.rides().saveOffer(o).onSuccess(v -> {
          // servedAt: the rider follows a ride booked from this offer at the peer's node, where
          // the driver reports arrival, pickup and drop-off and drafts the receipt to co-sign.
          JsonObject json = RideJson.signedOffer(o, null).put("fromPeer", true)
              .put("servedAt", served.servedAt().toString());
          p.signedOffers.put(o.offerHash(), json);
          pushRide(p.rideId, new JsonObject().put("type", "offer").put("rideId", p.rideId.toString())
              .put("offer", json));
        });
      }
    });
  }

  private boolean validPeerOffer(Pending p, SignedOffer o) {
    Offer offer = o.offer();
    if (!java.util.Arrays.equals(offer.requestHash(), p.signed.request().structHash())
        || !offer.rider().equalsIgnoreCase(p.signed.request().rider())
        || offer.rideNonce() != p.signed.request().rideNonce()
        || offer.maxFare().compareTo(p.signed.request().maxFare()) > 0) {
      return false;
    }
    try {
      return MessageSigner.recover(chain.ledgerDomain(), offer.structHash(), o.driverSignature())
          .equalsIgnoreCase(offer.driver());
    } catch (SignatureException | RuntimeException e) {
      return false;
    }
  }

  private void forgetExpired() {
    long now = nowSeconds();
    for (Pending p : new ArrayList<>(byRequestHash.values())) {
      if (p.signed.request().expiry() < now && p.forPeer == null) {
        engine.cancel(new RideId(p.requestHash()));
        untrack(p);
        pushRide(p.rideId, status(p.rideId, "expired"));
      }
    }
    store.rides().expireRequests(now);
    store.nonces().forgetExpired();
  }

  // ---------------------------------------------------------------- chain events

  /** A ledger event, applied on the desk; the future completes once its store write is done. */
  private Future<?> follow(LedgerEvent event) {
    return switch (event) {
      case LedgerEvent.RideBooked b -> onDesk(() -> booked(b));
      case LedgerEvent.ReceiptSubmitted r -> onDesk(() -> chainMoved(r.rideId(), RideState.RECEIPT_PENDING,
          BEFORE_RECEIPT, CHAIN_MOVE_ATTEMPTS));
      case LedgerEvent.RideSettled s -> onDesk(() -> chainMoved(s.rideId(), RideState.SETTLED, null,
          CHAIN_MOVE_ATTEMPTS));
      case LedgerEvent.RideCancelled c -> onDesk(() -> chainMoved(c.rideId(), RideState.CANCELLED, null,
          CHAIN_MOVE_ATTEMPTS));
      case LedgerEvent.RideReclaimed r -> onDesk(() -> chainMoved(r.rideId(), RideState.CANCELLED, null,
          CHAIN_MOVE_ATTEMPTS));
      case LedgerEvent.RideDisputed d -> onDesk(() -> chainMoved(d.rideId(), RideState.DISPUTED, null,
          CHAIN_MOVE_ATTEMPTS));
      // The committee's ruling pays the escrow out: the ride is over.
      case LedgerEvent.DisputeResolved r -> onDesk(() -> chainMoved(r.rideId(), RideState.SETTLED, null,
          CHAIN_MOVE_ATTEMPTS));
      // What the desk keeps of the chain's views is dropped when the chain says it changed.
      case LedgerEvent.FareSchedulePublished f -> forget(chain::forgetScheduleVersion);
      case LedgerEvent.MemberJoined m -> forget(() -> chain.forgetDriver(m.account()));
      case LedgerEvent.MemberLeft m -> forget(() -> chain.forgetDriver(m.account()));
      case LedgerEvent.MemberSuspended m -> forget(() -> chain.forgetDriver(m.account()));
      case LedgerEvent.MemberExcluded m -> forget(() -> chain.forgetDriver(m.account()));
      case LedgerEvent.MemberReinstated m -> forget(() -> chain.forgetDriver(m.account()));
      default -> Future.succeededFuture();
    };
  }

  private static Future<Void> forget(Runnable drop) {
    drop.run();
    return Future.succeededFuture();
  }

  /** The states a driver's uncosigned receipt on chain can move a ride out of. */
  private static final Set<RideState> BEFORE_RECEIPT =
      java.util.EnumSet.of(RideState.BOOKED, RideState.ARRIVED, RideState.PICKED_UP, RideState.DROPPED_OFF);

  private Future<Void> booked(LedgerEvent.RideBooked b) {
    String requestHash = Numeric.toHexString(b.requestHash()).toLowerCase(Locale.ROOT);
    String driver = b.driver().toLowerCase(Locale.ROOT);
    return store.rides().request(requestHash).compose(open -> {
      // This node follows rides its riders requested here, and rides of its drivers (also those
      // matched for a peer's rider: the rider's node may be gone, the ride goes on here).
      if (open.isEmpty() && !isLocalDriver(driver)) {
        return Future.succeededFuture(false);
      }
      return store.rides().startRide(b.rideId(), b.rider(), driver, b.maxFare(), b.version())
          .compose(isNew -> store.rides().closeRequest(requestHash).map(isNew));
    }).map(isNew -> {
      Pending p = byRequestHash.get(requestHash);
      if (p != null) {
        withdrawOutstanding(p);
        engine.cancel(new RideId(p.requestHash()));
        untrack(p);
      }
      if (isNew) {
        LOG.info("ride booked rideId={} driver={} block={}", b.rideId(), driver, b.block());
        rideMoved(b.rideId(), RideState.BOOKED);
      }
      return null;
    });
  }

  /**
   * Moves a followed ride to the state the chain reports. The chain is the authority: any state
   * that is not final may move (a ride settled or cancelled on chain is so here, whatever the
   * driver last reported), unless {@code from} names the only states that may. A route moving the
   * ride at the same moment makes the compare-and-set fail: the ride is read again.
   */
  private Future<Void> chainMoved(BigInteger rideId, RideState to, Set<RideState> from, int attempts) {
    return store.rides().ride(rideId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(); // another node's ride
      }
      RideState now = found.get().state();
      if (now == to || now.isFinal() || (from != null && !from.contains(now))) {
        return Future.succeededFuture();
      }
      return store.rides().followChain(rideId, now, to).compose(moved -> {
        if (moved) {
          rideMoved(rideId, to);
          return Future.succeededFuture();
        }
        if (attempts <= 1) {
          return Future.failedFuture(new IllegalStateException("ride " + rideId + " kept moving; retried later"));
        }
        return chainMoved(rideId, to, from, attempts - 1);
      });
    });
  }

  // ---------------------------------------------------------------- pushes

  private static JsonObject status(BigInteger rideId, String state) {
    return new JsonObject().put("type", "status").put("rideId", rideId.toString()).put("state", state);
  }

  private void pushDriver(String driver, JsonObject message) {
    for (Follower f : driverSockets.getOrDefault(driver, Set.of())) {
      f.send(message);
    }
  }

  private void pushRide(BigInteger rideId, JsonObject message) {
    for (Follower f : rideSockets.getOrDefault(rideId, Set.of())) {
      f.send(message);
    }
  }
}
