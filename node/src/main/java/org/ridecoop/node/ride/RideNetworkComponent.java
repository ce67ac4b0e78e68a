package org.ridecoop.node.ride;

import io.vertx.core.Future;
import java.time.Clock;
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
 * the chain gateway is up, because both need the deployment and the node key; the node's key is
 * its one driver (a fleet node would list its drivers here).
 */
public final class RideNetworkComponent implements NodeComponent {
  private final List<NodeComponent> started = new ArrayList<>();
  private volatile FederationComponent federation;

  @Override
  public String name() {
    return "ride-network";
  }

  @Override
  public Future<Void> start(NodeServices services) {
    ChainGateway chain = services.chain();
    String ledger = chain.manifest().address("RideLedger");
    Eip712Domain domain = Eip712Domain.rideLedger(chain.chainId(), ledger);
    LedgerRideChain rideChain = new LedgerRideChain(chain.access().web3j(), chain.chainId(), ledger,
        chain.manifest().address("FareSchedule"), 200);
    PeerOffers peers = request -> {
      FederationComponent f = federation;
      if (f == null || f.federation() == null) {
        return Future.succeededFuture(List.of());
      }
      return f.federation().ask(new org.ridecoop.node.federation.SignedRideRequest(
          request.request(), request.riderSignature()));
    };
    RideDesk desk = new RideDesk(rideChain, peers, RideDesk.Settings.of(services.config().fleet(services.key().address())),
        Clock.systemUTC());
    List<NodeComponent> parts = new ArrayList<>(List.of(rideChain, desk));
    if (services.config().peers().enabled()) {
      federation = new FederationComponent(new MembershipRegistry(services.vertx(), chain.membership()), domain,
          request -> desk.offersFor(new SignedRideRequest(request.request(), request.riderSignature())),
          FederationSettings.defaults());
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
