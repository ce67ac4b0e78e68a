package org.ridecoop.node.ride;

import io.vertx.core.Future;
import java.util.List;
import org.ridecoop.node.federation.PeerOffer;
import org.ridecoop.node.matching.LatLng;

/**
 * Where the ride desk turns when no local driver can serve a request: the federation layer asks
 * the peer nodes whose service area covers the pickup and answers with their drivers' signed
 * offers, each with the peer that relayed it (the node that serves the ride once it is booked).
 */
@FunctionalInterface
public interface PeerOffers {

  /** No peers: nobody else is asked. */
  PeerOffers NONE = (request, pickup) -> Future.succeededFuture(List.of());

  /**
   * Signed offers from peer nodes' drivers for {@code request} (possibly none).
   *
   * @param pickup the exact pickup point, sent along so that a peer's matched driver knows where
   *     to go (the signed request names only its cell)
   */
  Future<List<PeerOffer>> ask(SignedRideRequest request, LatLng pickup);
}
