package org.ridecoop.node.store;

/** Whether requests are shared with a peer. */
public enum PeerStatus {
  /** Registered on chain and behaving: requests are shared with it. */
  ACTIVE,
  /** Dropped for misbehaviour or by the chain (excluded member): nothing is shared with it. */
  EXCLUDED
}
