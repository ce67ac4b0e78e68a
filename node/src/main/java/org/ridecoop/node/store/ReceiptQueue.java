package org.ridecoop.node.store;

import io.vertx.core.Future;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Co-signed receipts waiting to be settled on chain, with their retry state. A receipt stays until
 * a transaction settles it, so a crash between co-signing and settling loses no fare.
 */
public interface ReceiptQueue {

  /**
   * Queues a receipt, due at once.
   *
   * @return true if queued, false if a receipt for that ride is already queued or settled
   */
  Future<Boolean> enqueue(CoSignedReceipt receipt);

  /** The queued or settled receipt for a ride. */
  Future<Optional<QueuedReceipt>> find(BigInteger rideId);

  /**
   * Unsettled receipts whose next attempt time has come, oldest first.
   *
   * @param limit at most this many (the batch size)
   */
  Future<List<QueuedReceipt>> due(int limit);

  /** Records that one transaction settled these rides' receipts. */
  Future<Void> settled(List<BigInteger> rideIds, String txHash);

  /**
   * Records a failed settlement attempt: the attempt count grows and the receipts wait until
   * {@code nextAttemptAt}.
   */
  Future<Void> attemptFailed(List<BigInteger> rideIds, String reason, long nextAttemptAt);

  /** How many receipts wait for settlement. */
  Future<Integer> pendingCount();

  /** When the oldest unsettled receipt was queued (unix ms), if any waits. */
  Future<OptionalLong> oldestPendingQueuedAt();
}
