package org.ridecoop.node.ride;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeServices;
import org.ridecoop.node.chain.ChainGateway;
import org.ridecoop.node.federation.FederationComponent;
import org.ridecoop.node.federation.FederationSettings;
import org.ridecoop.node.federation.MembershipRegistry;
import org.ridecoop.protocol.Eip712Domain;

/**
 * Assembles what riders and drivers talk to on a running node: the ride desk (its API, matching
 * and ride lifecycle) and, when peers are enabled, the federation it asks when no local driver
 * can take a ride and that answers peers with this node's drivers' offers. Built at start, once
 * the chain gateway is up, because both need the deployment and the node key. The drivers served
 * are the config's {@code drivers} (by default the node key's own address, a one-driver node); on a
 * fleet node each listed driver must let the node key settle its receipts with
 * {@code RideLedger.setOperator}, else {@code settleBatch} reverts {@code NotDriver}.
 *
 * <p>Peers answer a request once one of their drivers accepted it, so this node waits for them a
 * driver's offer time plus a margin, and answers peers within its own offer time plus a smaller one.
 */
public final class RideNetworkComponent implements NodeComponent {
  /** Time a peer's answer needs beyond its driver's offer time: one matching window and the trip back. */
  static final long PEER_ANSWER_MARGIN_MILLIS = 1_000;

  private final List<NodeComponent> started = new ArrayList<>();
  private volatile FederationComponent federation;

  @Override
  public String name() {
    return "ride-network";
  }

  @Override
  public Future<Void> start(NodeServices services) {
    ChainGateway chain = services.chain();
    Eip712Domain domain = Eip712Domain.rideLedger(chain.chainId(), chain.manifest().address("RideLedger"));
    PeerOffers peers = new PeerOffers() {
      @Override
      public Future<List<org.ridecoop.node.federation.PeerOffer>> ask(SignedRideRequest request,
          org.ridecoop.node.matching.LatLng pickup) {
        FederationComponent f = federation;
        if (f == null || f.federation() == null) {
          return Future.succeededFuture(List.of());
        }
        return f.federation().askServed(new org.ridecoop.node.federation.SignedRideRequest(
            request.request(), request.riderSignature(), pickup));
      }

      @Override
      public boolean covers(long cell) {
        FederationComponent f = federation;
        return f != null && f.federation() != null && f.federation().peers().covers(cell);
      }
    };
    // A peer answers once one of its drivers accepted (or none did within a driver's offer time):
    // this node waits for peers a little longer than it makes its own drivers wait for a peer.
    long offerMillis = services.config().matching().offerTimeoutMillis();
    RideDesk.Settings defaults = RideDesk.Settings.of(services.config().fleet(services.key().address()));
    RideDesk desk = new RideDesk(peers, new RideDesk.Settings(defaults.drivers(), defaults.detourFactor(),
        defaults.offerValiditySeconds(), Duration.ofMillis(offerMillis + PEER_ANSWER_MARGIN_MILLIS)), Clock.systemUTC());
    List<NodeComponent> parts = new ArrayList<>(List.of(desk));
    if (services.config().peers().enabled()) {
      federation = new FederationComponent(new MembershipRegistry(services.vertx(), chain.membership()), domain,
          request -> {
            SignedRideRequest signed = new SignedRideRequest(request.request(), request.riderSignature());
            // The exact pickup when the asking node sent it (its driver needs it), else the cell's centre.
            return request.pickup() != null ? desk.offersFor(signed, request.pickup()) : desk.offersFor(signed);
          },
          FederationSettings.defaults().withRequestTimeout(offerMillis + 3 * PEER_ANSWER_MARGIN_MILLIS));
      parts.add(federation);
    }
    Future<Void> chainOfStarts = Future.succeededFuture();
    for (NodeComponent part : parts) {
      chainOfStarts = chainOfStarts.compose(v -> part.start(services).onSuccess(x -> started.add(0, part)));
    }
    return chainOfStarts;
  }

  @Override
  public Future<Void> stop() {
    Future<Void> stops = Future.succeededFuture();
    for (NodeComponent part : List.copyOf(started)) {
      stops = stops.eventually(part::stop);
    }
    started.clear();
    return stops;
  }
}
