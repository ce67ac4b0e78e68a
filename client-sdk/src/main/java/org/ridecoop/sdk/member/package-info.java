/**
 * A member's own dealings with the co-op, with its own key: joining a college by buying the share
 * (one transaction, with an EIP-2612 permit), its status, giving notice and leaving with its
 * capital, and claiming patronage dividends of closed epochs. Get a {@link
 * org.ridecoop.sdk.member.Member} from {@code RideCoop.member(credentials)} or {@link
 * org.ridecoop.sdk.member.Member#connect}. Reverts surface as {@link
 * org.ridecoop.sdk.ChainRefusedException} naming the contract's custom error.
 */
package org.ridecoop.sdk.member;
