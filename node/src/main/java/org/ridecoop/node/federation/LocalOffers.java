package org.ridecoop.node.federation;

import io.vertx.core.Future;
import java.util.List;
import org.ridecoop.node.store.SignedOffer;

/**
 * This node's answer to a peer's ride request: signed offers of its own drivers (the ride desk's
 * {@code offersFor}). An empty list when no local driver can take the ride.
 */
@FunctionalInterface
public interface LocalOffers {

  /** Offers of local drivers for {@code request}. */
  Future<List<SignedOffer>> offersFor(SignedRideRequest request);
}
