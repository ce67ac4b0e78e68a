package org.ridecoop.node.ride;

import io.vertx.core.Future;
import java.util.List;
import org.ridecoop.node.federation.PeerOffer;
import org.ridecoop.node.matching.LatLng;

/**
 * Where the ride desk turns when no local driver can serve a request: the federation layer asks
 * the peer nodes whose service area covers the pickup and answers with their drivers' signed
 * offers, each with the peer that relayed it (the node that serves the ride once it is booked).
 * It also tells the desk which pickups some peer serves ({@link #covers}), so that a request no
 * node serves is refused at once instead of waiting for offers that cannot come.
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

  /**
   * Whether a known, usable peer node serves the H3 resolution-7 {@code cell} (its registered
   * service area holds it). Without peers (the default), none does.
   */
  default boolean covers(long cell) {
    return false;
  }
}
