package org.ridecoop.node;

import io.vertx.core.Future;

/**
 * A part of the node started after the store and before the HTTP server, and stopped in reverse
 * order: the chain gateway, the event indexer, matching, federation, settlement. This is the seam
 * where those capabilities join the node: in {@link #start} a component may add readiness checks
 * and API routes to the {@link NodeServices}.
 */
public interface NodeComponent {

  /** A short name for logs, e.g. {@code chain}. */
  String name();

  /**
   * Starts the component. Fail the future to abort start-up (the node then stops what it started).
   */
  Future<Void> start(NodeServices services);

  /** Stops the component; called once, also after a failed start of a later component. */
  Future<Void> stop();
}
