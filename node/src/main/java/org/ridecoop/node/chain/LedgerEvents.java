package org.ridecoop.node.chain;

import io.vertx.core.Future;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The contract events the node follows, delivered in chain order (block, then log index). Each
 * event reaches each listener once: the indexer resumes after its stored cursor after a restart
 * or an RPC outage, and skips events whose (transaction, log index) it already recorded.
 *
 * <p>Listeners run on the indexer's event-loop context and must not block. Register them in
 * {@link org.ridecoop.node.NodeComponent#start}: events start flowing once every component has
 * started (backfilled from the stored cursor, so none is missed).
 */
public interface LedgerEvents {

  /** Calls {@code listener} with every new event. */
  void onEvent(Consumer<LedgerEvent> listener);

  /**
   * Calls {@code listener} with every new event and waits for the returned future before
   * recording the event as processed: if the node crashes before the future completes, the event
   * is delivered again after the restart (so the listener's effect should be idempotent). A
   * failed future stops the indexer at that event and retries it.
   */
  void onEventAsync(Function<LedgerEvent, Future<?>> listener);

  /** The last block whose events were all delivered, if any. */
  OptionalLong lastProcessedBlock();

  /** How many blocks the indexer is behind the chain head (last seen). */
  long lag();
}
