package org.ridecoop.node.ride;

import com.uber.h3core.H3Core;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
import org.ridecoop.node.matching.DriverId;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.matching.MatchOutcome;
import org.ridecoop.node.matching.MatchingConfig;
import org.ridecoop.node.matching.MatchingEngine;
import org.ridecoop.node.matching.NoLocalDriver;
import org.ridecoop.node.matching.OfferReason;
import org.ridecoop.node.matching.RideId;
import org.ridecoop.node.store.CoSignedReceipt;
import org.ridecoop.node.store.OpenRequest;
import org.ridecoop.node.store.RideInProgress;
import org.ridecoop.node.store.RideState;
import org.ridecoop.node.store.SignedOffer;
import org.ridecoop.node.store.SqliteStore;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideIds;
import org.ridecoop.protocol.TripReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * The ride lifecycle on this node: requested, offered, accepted, booked (seen on chain), arrived,
 * picked up, dropped off, receipt co-signed, settled; or cancelled, disputed. It feeds the
 * {@link MatchingEngine} with riders' signed requests and the local drivers' positions, relays
 * offers to drivers and the drivers' signed offers back to riders, follows the ledger's ride
 * events, and queues co-signed receipts for settlement. The HTTP and WebSocket routes are in
 * {@link RideApi}.
 *
 * <h2>Threads</h2>
 *
 * All state here (the engine, pending requests, open sockets) belongs to the HTTP verticle's event
 * loop: the routes are mounted there, the window timer and the chain events run there, and
 * {@link #offersFor} (called by the federation layer from elsewhere) hops onto it.
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

  private final RideChain chain;
  private final PeerOffers peers;
  private final Settings settings;
  private final Clock clock;
  private final H3Core h3;
  private Vertx vertx;
  private SqliteStore store;
  private MatchingEngine engine;
  private Context context;
  private long windowTimer = -1;
  private long expiryTimer = -1;

  private final Map<String, Pending> byRequestHash = new HashMap<>();
  private final Map<BigInteger, Pending> byRideId = new HashMap<>();
  private final Set<String> online = new HashSet<>();
  private final Map<String, Set<ServerWebSocket>> driverSockets = new HashMap<>();
  private final Map<BigInteger, Set<ServerWebSocket>> rideSockets = new HashMap<>();

  /**
   * @param chain the ledger views and events
   * @param peers asked when no local driver can serve a request ({@link PeerOffers#NONE} alone)
   * @param settings the drivers and the quoting rules
   * @param clock for expiries
   */
  public RideDesk(RideChain chain, PeerOffers peers, Settings settings, Clock clock) {
    this.chain = chain;
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

  @Override
  public Future<Void> start(NodeServices services) {
    this.vertx = services.vertx();
    this.store = services.store();
    var m = services.config().matching();
    this.engine = new MatchingEngine(new MatchingConfig(9, Duration.ofMillis(m.windowMillis()), 4, 32, 900, 60,
        Duration.ofMillis(m.offerTimeoutMillis()), 5));
    services.addRoutes(router -> {
      // The router is built on the HTTP verticle's event loop: the desk lives there from now on.
      context = vertx.getOrCreateContext();
      long window = m.windowMillis();
      windowTimer = vertx.setPeriodic(window, id -> closeWindow());
      expiryTimer = vertx.setPeriodic(10_000, id -> forgetExpired());
      chain.onRideEvent(this::onChainEvent);
      new RideApi(this).mount(router);
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    if (vertx != null) {
      vertx.cancelTimer(windowTimer);
      vertx.cancelTimer(expiryTimer);
    }
    return Future.succeededFuture();
  }

  // ---------------------------------------------------------------- the federation's seam

  /**
   * Offers of this node's drivers for a request that came from a peer node. Local drivers only:
   * the request is never forwarded. Completes with the drivers' signed offers (at most one, the
   * driver that accepted), or an empty list when no local driver takes it within the peer timeout.
   *
   * @param request the rider's signed request (the signature is checked here)
   * @param pickup the exact pickup point, which the matched driver needs
   */
  public Future<List<SignedOffer>> offersFor(SignedRideRequest request, LatLng pickup) {
    return offersFor(request, pickup, pickup);
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
    pushRide(p.rideId, status(p.rideId, "requested"));
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
    if (p.outstanding != null) {
      pushDriver(p.outstanding.driver().toLowerCase(Locale.ROOT), new JsonObject().put("type", "offer_withdrawn")
          .put("requestHash", p.requestHash()));
    }
    untrack(p);
    pushRide(p.rideId, status(p.rideId, "cancelled"));
  }

  /** Offers signed for a request (local or from peers), in the order they came. */
  JsonArray offers(Pending p) {
    return new JsonArray(new ArrayList<>(p.signedOffers.values()));
  }

  void addDriverSocket(String driver, ServerWebSocket ws) {
    driverSockets.computeIfAbsent(driver, k -> new HashSet<>()).add(ws);
    ws.closeHandler(v -> driverSockets.getOrDefault(driver, new HashSet<>()).remove(ws));
    // An offer made before the driver connected is not lost.
    for (Pending p : byRequestHash.values()) {
      if (p.outstanding != null && p.outstanding.driver().equalsIgnoreCase(driver)) {
        ws.writeTextMessage(offerToDriver(p).encode());
      }
    }
  }

  void addRideSocket(BigInteger rideId, ServerWebSocket ws) {
    rideSockets.computeIfAbsent(rideId, k -> new HashSet<>()).add(ws);
    ws.closeHandler(v -> rideSockets.getOrDefault(rideId, new HashSet<>()).remove(ws));
  }

  /** Tells the ride's followers its new state. */
  void rideMoved(BigInteger rideId, RideState state) {
    pushRide(rideId, status(rideId, RideJson.state(state)));
  }

  /** Runs {@code work} on the desk's event loop. */
  <T> Future<T> onDesk(Supplier<Future<T>> work) {
    if (context == null) {
      return Future.failedFuture(new IllegalStateException("the ride desk is not started"));
    }
    if (Vertx.currentContext() == context) {
      return work.get();
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
      pushRide(p.rideId, status(p.rideId, "offered"));
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
    pushRide(p.rideId, status(p.rideId, "asking_peers").put("why", none.reason().name().toLowerCase(Locale.ROOT)));
    peers.ask(p.signed).onComplete(ar -> {
      if (ar.failed() || p.cancelled) {
        return;
      }
      for (SignedOffer o : ar.result()) {
        if (!validPeerOffer(p, o)) {
          continue;
        }
        store.rides().saveOffer(o).onSuccess(v -> {
          JsonObject json = RideJson.signedOffer(o, null).put("fromPeer", true);
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

  private void onChainEvent(RideChain.RideEvent event) {
    switch (event) {
      case RideChain.Booked b -> booked(b);
      case RideChain.Settled s -> moveTo(s.rideId(), RideState.SETTLED);
      case RideChain.Cancelled c -> moveTo(c.rideId(), RideState.CANCELLED);
      case RideChain.Disputed d -> moveTo(d.rideId(), RideState.DISPUTED);
    }
  }

  private void booked(RideChain.Booked b) {
    store.rides().request(b.requestHash()).compose(open -> {
      if (open.isEmpty() && !isLocalDriver(b.driver())) {
        return Future.succeededFuture(false); // another node's ride
      }
      String rider = open.map(r -> r.request().rider()).orElse(RideIds.rider(b.rideId()));
      return store.rides().startRide(b.rideId(), rider, b.driver(), b.maxFare(), b.version())
          .compose(isNew -> store.rides().closeRequest(b.requestHash()).map(isNew));
    }).onSuccess(isNew -> {
      Pending p = byRequestHash.get(b.requestHash());
      if (p != null) {
        untrack(p);
      }
      if (isNew) {
        rideMoved(b.rideId(), RideState.BOOKED);
      }
    }).onFailure(e -> LOG.warn("following booking of ride {} failed: {}", b.rideId(), e.toString()));
  }

  private void moveTo(BigInteger rideId, RideState to) {
    store.rides().ride(rideId).compose(ride -> {
      if (ride.isEmpty() || ride.get().state() == to || !ride.get().state().canMoveTo(to)) {
        return Future.succeededFuture(false);
      }
      return store.rides().moveRide(rideId, ride.get().state(), to);
    }).onSuccess(moved -> {
      if (moved) {
        rideMoved(rideId, to);
      }
    }).onFailure(e -> LOG.warn("following ride {} to {} failed: {}", rideId, to, e.toString()));
  }

  // ---------------------------------------------------------------- pushes

  private static JsonObject status(BigInteger rideId, String state) {
    return new JsonObject().put("type", "status").put("rideId", rideId.toString()).put("state", state);
  }

  private void pushDriver(String driver, JsonObject message) {
    for (ServerWebSocket ws : driverSockets.getOrDefault(driver, Set.of())) {
      ws.writeTextMessage(message.encode());
    }
  }

  private void pushRide(BigInteger rideId, JsonObject message) {
    for (ServerWebSocket ws : rideSockets.getOrDefault(rideId, Set.of())) {
      ws.writeTextMessage(message.encode());
    }
  }
}
