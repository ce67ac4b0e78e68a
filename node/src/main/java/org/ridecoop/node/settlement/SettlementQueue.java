package org.ridecoop.node.settlement;

import io.vertx.core.Future;
import org.ridecoop.node.store.CoSignedReceipt;

/**
 * Where co-signed receipts go to be paid: they are settled on chain in batches
 * ({@code RideLedger.settleBatch}) by size or age, retried until settled, and never settled twice.
 */
public interface SettlementQueue {

  /**
   * Queues a receipt for settlement. The future completes only once the receipt is on disk, so an
   * acknowledgement sent after it survives a crash. Queuing a receipt for a ride already queued
   * or settled succeeds and changes nothing.
   */
  Future<Void> enqueue(CoSignedReceipt receipt);

  /** How many receipts wait for settlement (last counted). */
  long pending();
}
