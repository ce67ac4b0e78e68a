package org.ridecoop.node.federation;

import io.vertx.core.Future;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeServices;
import org.ridecoop.protocol.Eip712Domain;

/**
 * Federation as a part of the node: mounts the peer API, reads the registry at start and keeps it
 * fresh: registry and membership events are applied as they are indexed, and the whole registry is
 * read again periodically. The chain side ({@link NodeRegistry}, the ledger's domain) and the ride desk's
 * {@link LocalOffers} are handed in by whoever assembles the node.
 */
public final class FederationComponent implements NodeComponent {

  private final NodeRegistry registry;
  private final Eip712Domain ledgerDomain;
  private final LocalOffers local;
  private final FederationSettings settings;
  private volatile Federation federation;

  /**
   * @param registry the chain's node registry
   * @param ledgerDomain the RideLedger's EIP-712 domain
   * @param local this node's drivers' offers for peers' requests
   * @param settings timeouts, rates and penalties
   */
  public FederationComponent(NodeRegistry registry, Eip712Domain ledgerDomain, LocalOffers local,
      FederationSettings settings) {
    this.registry = registry;
    this.ledgerDomain = ledgerDomain;
    this.local = local;
    this.settings = settings;
  }

  @Override
  public String name() {
    return "federation";
  }

  @Override
  public Future<Void> start(NodeServices services) {
    federation = Federation.create(services.vertx(), services.key().credentials(), registry, ledgerDomain,
        services.store().peers(), services.store().nonces(), local, settings, services.registry(),
        System::currentTimeMillis).reportPeerCount(services.metrics()::peers);
    services.addRoutes(federation.routes());
    // Registered now, before the indexer (the node's last component) starts: registry and
    // membership changes reach the peer book as soon as they are indexed, none missed.
    services.ledgerEvents().onEventAsync(federation::follow);
    return federation.start();
  }

  /** The running federation (for the ride desk's {@code PeerOffers}); null before start. */
  public Federation federation() {
    return federation;
  }

  @Override
  public Future<Void> stop() {
    return federation == null ? Future.succeededFuture() : federation.stop();
  }
}
