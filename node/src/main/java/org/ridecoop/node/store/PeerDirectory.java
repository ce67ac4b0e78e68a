package org.ridecoop.node.store;

import io.vertx.core.Future;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The other nodes this node knows (learnt from the chain's registry) and how they behaved, so a
 * restarted node keeps its view of misbehaving peers.
 */
public interface PeerDirectory {

  /**
   * Learns or updates a peer's endpoint and service area (as registered on chain). Its status and
   * history are kept when it is already known.
   */
  Future<Void> register(String address, URI endpoint, List<Long> serviceArea);

  /** The peer with this address. */
  Future<Optional<Peer>> find(String address);

  /** All known peers, by address. */
  Future<List<Peer>> all();

  /** Active peers, by address. */
  Future<List<Peer>> active();

  /** Records a successful exchange: failures reset, last seen now. */
  Future<Void> recordSuccess(String address);

  /**
   * Records a failed exchange.
   *
   * @return the peer's consecutive failure count after this one (0 if unknown)
   */
  Future<Integer> recordFailure(String address);

  /** Stops sharing requests with a peer, saying why. */
  Future<Void> exclude(String address, String reason);

  /** Shares requests with a peer again. */
  Future<Void> reinstate(String address);

  /** Forgets a peer (deregistered on chain). */
  Future<Boolean> forget(String address);
}
