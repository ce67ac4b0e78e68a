package org.ridecoop.node.store;

import io.vertx.core.Future;

/**
 * Nonces of signed API requests already accepted, so a captured request cannot be replayed. A
 * nonce is kept until the request it came with expires; after that the signature check refuses the
 * request anyway.
 */
public interface UsedNonces {

  /**
   * Records that {@code signer} used {@code nonce}.
   *
   * @param expiresAt when the signed request stops being valid (unix ms)
   * @return true if the nonce was fresh; false if it was used before (a replay)
   */
  Future<Boolean> use(String signer, String nonce, long expiresAt);

  /**
   * Forgets nonces whose requests expired before now.
   *
   * @return how many were forgotten
   */
  Future<Integer> forgetExpired();
}
