package org.ridecoop.node.federation;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.util.List;
import java.util.function.LongSupplier;
import org.ridecoop.node.api.ApiRoutes;
import org.ridecoop.node.chain.LedgerEvent;
import org.ridecoop.node.store.PeerDirectory;
import org.ridecoop.node.store.SignedOffer;
import org.ridecoop.node.store.UsedNonces;
import org.ridecoop.protocol.Eip712Domain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * This node's place among its peers: answers their ride requests ({@link #routes()}) and asks them
 * for offers when its own drivers cannot serve a ride ({@link #ask}). The peers are the usable
 * nodes of the on-chain registry ({@link #peers()}), read at {@link #start()}, every
 * {@code refreshMillis}, and whenever the chain reports a change ({@link #follow}).
 *
 * <pre>{@code
 * Federation f = Federation.create(vertx, nodeKey, registry, ledgerDomain, store.peers(),
 *     store.nonces(), rideDesk::offersFor, FederationSettings.defaults(), meters, System::currentTimeMillis);
 * services.addRoutes(f.routes());
 * f.start();
 * f.ask(signedRequest).onSuccess(offers -> ...);   // what peers offered within the timeout
 * }</pre>
 */
public final class Federation {

  private static final Logger LOG = LoggerFactory.getLogger(Federation.class);

  private final Vertx vertx;
  private final HttpClient http;
  private final PeerBook book;
  private final PeerRoutes routes;
  private final PeerFanOut fanOut;
  private final FederationSettings settings;
  private long refreshTimer = -1;
  private volatile java.util.function.IntConsumer peerCount = n -> { };

  private final UsedNonces nonces;

  private Federation(Vertx vertx, HttpClient http, PeerBook book, PeerRoutes routes, PeerFanOut fanOut,
      FederationSettings settings, UsedNonces nonces) {
    this.nonces = nonces;
    this.vertx = vertx;
    this.http = http;
    this.book = book;
    this.routes = routes;
    this.fanOut = fanOut;
    this.settings = settings;
  }

  /**
   * Assembles federation for a node.
   *
   * @param key the node's key, registered on chain as its node address
   * @param registry the chain's node registry and driver membership
   * @param ledgerDomain the RideLedger's EIP-712 domain (riders' and drivers' signatures; its chain id
   *     also binds peer signatures)
   * @param directory the store's peer table
   * @param nonces the store's used nonces
   * @param local this node's own drivers' offers, for peers' requests
   * @param clock unix ms
   */
  public static Federation create(Vertx vertx, Credentials key, NodeRegistry registry, Eip712Domain ledgerDomain,
      PeerDirectory directory, UsedNonces nonces, LocalOffers local, FederationSettings settings,
      MeterRegistry meters, LongSupplier clock) {
    long chainId = ledgerDomain.chainId();
    PeerBook book = new PeerBook(registry, directory, key.getAddress(), settings.faultLimit(),
        settings.penaltyMillis(), clock);
    PeerGate gate = new PeerGate(chainId, book, new SeenNonces(settings.nonceCacheSize(), nonces),
        settings.clockSkewMillis(), clock);
    OfferCheck check = new OfferCheck(ledgerDomain, registry, clock);
    TokenBuckets inbound = new TokenBuckets(settings.inboundBurst(), settings.inboundPerSecond(), System::nanoTime);
    TokenBuckets outbound = new TokenBuckets(settings.outboundBurst(), settings.outboundPerSecond(), System::nanoTime);
    HttpClient http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) settings.requestTimeoutMillis())
        .setKeepAlive(true));
    PeerRoutes routes = new PeerRoutes(chainId, key, gate, inbound, check, local, clock, meters);
    PeerFanOut fanOut = new PeerFanOut(vertx, http, chainId, key, book, gate, outbound, check,
        settings.requestTimeoutMillis(), clock, meters);
    return new Federation(vertx, http, book, routes, fanOut, settings, nonces);
  }

  /** The peer API ({@code POST /v1/peer/requests}) to mount on the node's HTTP server. */
  public ApiRoutes routes() {
    return routes;
  }

  /** The peers known now. */
  public PeerBook peers() {
    return book;
  }

  /**
   * Asks the peers covering the request's pickup cell for offers, in parallel; succeeds, never
   * later than the request timeout, with the valid offers that arrived (possibly none).
   */
  public Future<List<SignedOffer>> ask(SignedRideRequest request) {
    return fanOut.ask(request);
  }

  /**
   * As {@link #ask}, each offer with the peer node that relayed it: the node that serves the ride
   * once the rider books the offer.
   */
  public Future<List<PeerOffer>> askServed(SignedRideRequest request) {
    return fanOut.askServed(request);
  }

  /** Tells {@code gauge} the number of usable peers after every registry read. */
  public Federation reportPeerCount(java.util.function.IntConsumer gauge) {
    this.peerCount = gauge;
    return this;
  }

  /** Reads the registry and starts the periodic refresh. */
  public Future<Void> start() {
    refreshTimer = vertx.setPeriodic(settings.refreshMillis(), t -> {
      refresh().onFailure(e -> LOG.warn("peer registry refresh failed", e));
      // nonces past the clock-skew window cannot pass the timestamp check any more
      nonces.forgetExpired().onFailure(e -> LOG.warn("forgetting expired nonces failed", e));
    });
    return refresh();
  }

  /** A node's registration changed on chain (NodeRegistered, NodeUpdated, NodeRemoved). */
  public Future<Void> onNodeChanged(String node) {
    return book.refresh(node).onSuccess(v -> peerCount.accept(book.peers().size()));
  }

  /**
   * Applies a registry or membership event to the peers at once, so that a removed node, or one
   * whose operator was suspended, excluded or left, is neither asked nor heard from the moment the
   * event is indexed, and a new node is asked without waiting for the periodic refresh (which
   * stays, as the safety net for anything missed). Other events change nothing. Re-reads the
   * chain rather than trusting the event, so it is idempotent: an event delivered again after a
   * restart, or one older than the chain's current state, leaves the book right.
   *
   * <p>Meant for {@code LedgerEvents.onEventAsync}; safe on any context (the book is shared by
   * the peer API, the fan-out and the refresh timer, and serialises its reads per node).
   */
  public Future<Void> follow(LedgerEvent event) {
    return switch (event) {
      case LedgerEvent.NodeRegistered e -> onNodeChanged(e.node());
      case LedgerEvent.NodeUpdated e -> onNodeChanged(e.node());
      case LedgerEvent.NodeRemoved e -> onNodeChanged(e.node());
      case LedgerEvent.MemberSuspended e -> onMemberChanged(e.account());
      case LedgerEvent.MemberExcluded e -> onMemberChanged(e.account());
      case LedgerEvent.MemberReinstated e -> onMemberChanged(e.account());
      case LedgerEvent.MemberLeft e -> onMemberChanged(e.account());
      case LedgerEvent.MemberJoined e -> onMemberChanged(e.account());
      default -> Future.succeededFuture();
    };
  }

  /** A member's status changed on chain: the nodes it operates are read again. */
  public Future<Void> onMemberChanged(String account) {
    return book.refreshOperatedBy(account).onSuccess(v -> peerCount.accept(book.peers().size()));
  }

  /** A member's status changed on chain (e.g. an operator was excluded): every node is read again. */
  public Future<Void> onMembersChanged() {
    return refresh();
  }

  private Future<Void> refresh() {
    return book.refresh().onSuccess(v -> peerCount.accept(book.peers().size()));
  }

  /** Stops the refresh and closes the connections to peers. */
  public Future<Void> stop() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    return http.close();
  }
}
