package org.ridecoop.node.federation;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ridecoop.node.api.HttpApiVerticle;
import org.ridecoop.node.store.SignedOffer;
import org.ridecoop.node.store.SqliteStore;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * One node of a test network: its own Vert.x, store on disk, federation on a real HTTP server on
 * loopback, reading the registry of the fixture's chain. Closing its Vert.x kills it.
 */
final class PeerNode implements AutoCloseable {

  final Vertx vertx;
  final SqliteStore store;
  final Credentials key;
  final Federation federation;
  final PrometheusMeterRegistry meters;
  final int port;

  private PeerNode(Vertx vertx, SqliteStore store, Credentials key, Federation federation,
      PrometheusMeterRegistry meters, int port) {
    this.vertx = vertx;
    this.store = store;
    this.key = key;
    this.federation = federation;
    this.meters = meters;
    this.port = port;
  }

  /**
   * Starts a node signing with {@code key} whose drivers answer through {@code desk}. The
   * federation is assembled and serving, but has not read the registry yet ({@link #join}).
   */
  static PeerNode start(CoopFixture coop, Path dir, Credentials key, Desk desk, FederationSettings settings) {
    Vertx vertx = Vertx.vertx();
    SqliteStore store = SqliteStore.open(vertx, dir).await();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    NodeRegistry registry = new MembershipRegistry(vertx, coop.membership(coop.deployer));
    Federation federation = Federation.create(vertx, key, registry, coop.ledgerDomain, store.peers(),
        store.nonces(), request -> desk.offersFor(vertx, request), settings, meters, System::currentTimeMillis);
    HttpApiVerticle http = new HttpApiVerticle(
        new HttpApiVerticle.Settings("127.0.0.1", 0, HttpApiVerticle.DEFAULT_BODY_LIMIT), meters, List.of(),
        List.of(federation.routes()));
    vertx.deployVerticle(http).await();
    return new PeerNode(vertx, store, key, federation, meters, http.port());
  }

  /** A fresh node key. */
  static Credentials newKey() {
    try {
      return Credentials.create(Keys.createEcKeyPair());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String address() {
    return key.getAddress().toLowerCase(Locale.ROOT);
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Registers {@code nodeAddress} at this node's endpoint on chain, operated by {@code operator}. */
  void register(CoopFixture coop, Credentials operator, String nodeAddress, long... cells) throws Exception {
    List<BigInteger> c = new ArrayList<>();
    for (long cell : cells) {
      c.add(new BigInteger(Long.toUnsignedString(cell)));
    }
    coop.membership(operator).registerNode(nodeAddress, endpoint(), new byte[0], c).send();
  }

  /** Registers this node's own key. */
  void register(CoopFixture coop, Credentials operator, long... cells) throws Exception {
    register(coop, operator, key.getAddress(), cells);
  }

  /** Reads the registry (as at start-up). */
  void join() {
    federation.start().await();
  }

  /** Offers dropped from {@code peer} so far. */
  double dropped(PeerNode peer) {
    var c = meters.find("ridecoop.federation.offers.dropped").tag("peer", peer.address()).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    try {
      federation.stop().await();
    } catch (RuntimeException ignored) {
      // already dead (killed by the test)
    }
    try {
      store.close().await();
    } catch (RuntimeException ignored) {
      // the killed node's worker pool is gone with its Vert.x
    }
    vertx.close().await();
  }

  /** How a node's drivers answer requests. */
  @FunctionalInterface
  interface Desk {
    Future<List<SignedOffer>> offersFor(Vertx vertx, SignedRideRequest request);

    /** Each driver (an active driver member) offers the ride for one unit under the rider's maximum. */
    static Desk drivers(CoopFixture coop, Credentials... drivers) {
      return (vertx, request) -> {
        List<SignedOffer> out = new ArrayList<>();
        for (Credentials d : drivers) {
          out.add(offer(coop, request, d, d));
        }
        return Future.succeededFuture(out);
      };
    }

    /** No driver here. */
    static Desk none() {
      return (vertx, request) -> Future.succeededFuture(List.of());
    }
  }

  /** An offer naming {@code driver} for {@code request}, signed by {@code signer}. */
  static SignedOffer offer(CoopFixture coop, SignedRideRequest request, Credentials driver, Credentials signer) {
    RideRequest q = request.request();
    Offer o = new Offer(q.structHash(), q.rider(), driver.getAddress(), q.maxFare().subtract(BigInteger.ONE),
        q.rideNonce(), 180, 1, System.currentTimeMillis() / 1000 + 120);
    return new SignedOffer(o, MessageSigner.sign(coop.ledgerDomain, o.structHash(), signer), System.currentTimeMillis());
  }
}
