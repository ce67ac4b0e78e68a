/**
 * Federation: the nodes registered on chain share ride requests their own drivers cannot serve.
 *
 * <ul>
 *   <li>{@link org.ridecoop.node.federation.PeerBook}: the peers, read from the on-chain registry
 *       ({@link org.ridecoop.node.federation.NodeRegistry}), kept in the store's peer table; only
 *       usable nodes (operator an active driver member), misbehaving ones ignored for a while;
 *   <li>{@link org.ridecoop.node.federation.PeerSignature}: every peer message, request and answer,
 *       is signed (EIP-191) by the sending node's key over
 *       {@code ridecoop-peer:<chainId>:<sha256(body)>:<sender>:<timestamp>:<nonce>};
 *   <li>{@link org.ridecoop.node.federation.PeerRoutes}: {@code POST /v1/peer/requests}, answering a
 *       peer's request with the signed offers of this node's drivers;
 *   <li>{@link org.ridecoop.node.federation.PeerFanOut}: asks the peers covering the pickup cell in
 *       parallel and returns the valid offers that arrived before the deadline.
 * </ul>
 */
package org.ridecoop.node.federation;
