package org.ridecoop.node.store;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Another node, as registered on chain, and how it behaved towards this one.
 *
 * @param address the peer node's key address (its messages are signed with it)
 * @param endpoint its public URL
 * @param serviceArea the H3 cells it serves
 * @param status whether requests are shared with it
 * @param failures consecutive failed exchanges
 * @param lastSeenAt when it last answered (unix ms), if ever
 * @param statusReason why it is excluded, if it is
 */
public record Peer(
    String address,
    URI endpoint,
    List<Long> serviceArea,
    PeerStatus status,
    int failures,
    Optional<Long> lastSeenAt,
    Optional<String> statusReason) {

  public Peer {
    serviceArea = List.copyOf(serviceArea);
  }

  /** A newly learnt, active peer with no history. */
  public static Peer registered(String address, URI endpoint, List<Long> serviceArea) {
    return new Peer(address, endpoint, serviceArea, PeerStatus.ACTIVE, 0, Optional.empty(), Optional.empty());
  }
}
