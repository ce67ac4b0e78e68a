/**
 * The rider SDK: a small, blocking Java API over the ridecoop node API and the chain, with
 * fail-over across nodes and no Vert.x types.
 *
 * <pre>{@code
 * try (RideCoop coop = RideCoop.connect(List.of(nodeA, nodeB), chainRpc, manifest)) {
 *   Rider rider = coop.rider(credentials);
 *   rider.deposit(50_000_000);                          // permit + deposit into the RideLedger wallet
 *   Quote quote = rider.quote(pickup, dropoff);
 *   Ride ride = rider.request(pickup, dropoff, quote.fare() * 2);
 *   RideOffer offer = ride.awaitOffer(Duration.ofMinutes(2));
 *   System.out.println(offer.etaSeconds());              // reason(): why this driver (null from a peer)
 *   ride.book(offer);                                    // on chain, with the rider's key
 *   ride.onStatus(s -> System.out.println(s.state()));
 *   ride.awaitState(RideState.DROPPED_OFF, Duration.ofHours(2));
 *   ride.cosignReceipt();                                // checked against the escrow first
 * }
 * }</pre>
 *
 * <p>{@link org.ridecoop.sdk.RideCoop} connects; {@link org.ridecoop.sdk.Rider} quotes, deposits
 * and requests; {@link org.ridecoop.sdk.Ride} books, follows, co-signs, cancels and disputes. A
 * node's 4xx is a {@link org.ridecoop.sdk.NodeRefusedException} with its JSON reason; when no node
 * answers, a {@link org.ridecoop.sdk.NoNodeAvailableException}; when a contract reverts, in this
 * package and in {@code member} and {@code governance} alike, a {@link
 * org.ridecoop.sdk.ChainRefusedException} with the decoded custom error ({@link
 * org.ridecoop.sdk.ChainCalls} is the one place that translates chain failures). The auditor is in
 * {@code org.ridecoop.sdk.audit}; members' own moves ({@code RideCoop.member(key)}) in {@code
 * org.ridecoop.sdk.member}; proposals and votes ({@code RideCoop.governance()}) in {@code
 * org.ridecoop.sdk.governance}.
 */
package org.ridecoop.sdk;
