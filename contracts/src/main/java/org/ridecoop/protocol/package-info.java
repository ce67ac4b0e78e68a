/**
 * The one Java definition of ridecoop's signed on-chain messages (EIP-712 {@link
 * org.ridecoop.protocol.RideRequest}, {@link org.ridecoop.protocol.Offer}, {@link
 * org.ridecoop.protocol.TripReceipt}), their domain, ride ids, and signing and recovery; and the
 * {@link org.ridecoop.protocol.SignedCall} that authenticates node API calls. The node, the SDK and
 * the auditor use these; none re-derives them.
 */
package org.ridecoop.protocol;
