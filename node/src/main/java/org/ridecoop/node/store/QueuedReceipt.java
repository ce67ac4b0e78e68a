package org.ridecoop.node.store;

import java.util.Optional;

/**
 * A co-signed receipt in the settlement queue.
 *
 * @param receipt the receipt and its signature
 * @param queuedAt when it was queued (unix ms)
 * @param attempts how many settlement attempts failed so far
 * @param nextAttemptAt not to be tried before this time (unix ms)
 * @param lastError why the last attempt failed, if it did
 * @param settledTx the 0x hash of the transaction that settled it, once settled
 */
public record QueuedReceipt(
    CoSignedReceipt receipt,
    long queuedAt,
    int attempts,
    long nextAttemptAt,
    Optional<String> lastError,
    Optional<String> settledTx) {

  /** Whether the receipt is settled on chain. */
  public boolean isSettled() {
    return settledTx.isPresent();
  }
}
