/**
 * Rides on this node: the {@link org.ridecoop.node.ride.RideDesk} (ride lifecycle from request to
 * settlement, fed to the matching engine, following the ledger's ride events), its HTTP and
 * WebSocket routes under {@code /v1} for riders and drivers, and the seams to the rest of the node:
 * {@link org.ridecoop.node.ride.RideChain} (ledger views; ride events come from the node's indexer),
 * {@link org.ridecoop.node.ride.PeerOffers} (the federation, asked when no local driver can serve)
 * and {@link org.ridecoop.node.ride.RideDesk#offersFor} (the federation asks this node's drivers).
 * Every change through the API is signed by the caller's key ({@link org.ridecoop.node.ride.CallSignature}).
 */
package org.ridecoop.node.ride;
