package org.ridecoop.node.federation;

import java.net.URI;
import org.ridecoop.node.store.SignedOffer;

/**
 * A peer's driver's signed offer with the node that relayed it: once the rider books it, that node
 * serves the ride (arrival, pickup, drop-off and the receipt happen there), so the rider follows
 * the ride there.
 *
 * @param offer the driver's signed offer (checked: signed by an active driver, answers the request)
 * @param servedAt the peer's API endpoint, as registered on chain
 */
public record PeerOffer(SignedOffer offer, URI servedAt) {}
