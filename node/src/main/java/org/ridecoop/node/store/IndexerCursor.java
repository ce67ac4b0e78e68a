package org.ridecoop.node.store;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How far one event indexer got, and which events it already processed. The indexer resumes after
 * {@link #lastProcessedBlock()} (backfilling with {@code eth_getLogs}), and skips events in
 * {@link #processedAmong} because logs can be delivered again after an RPC reconnect.
 *
 * <p>Effects of processing an event should themselves be idempotent (e.g. {@link RideStore#moveRide}
 * is a compare-and-set), since a crash can fall between the effect and {@link #advance}.
 */
public interface IndexerCursor {

  /** The indexer's name (one cursor per followed event stream). */
  String name();

  /** The last block whose events are all processed; empty before the first {@link #advance}. */
  Future<OptionalLong> lastProcessedBlock();

  /** Which of {@code keys} are already processed. */
  Future<Set<EventKey>> processedAmong(Collection<EventKey> keys);

  /**
   * Records, in one transaction, that {@code processed} events are done and, if {@code block} is
   * beyond the current position, that everything up to {@code block} is done.
   */
  Future<Void> advance(long block, Collection<EventKey> processed);

  /**
   * Moves the position back to {@code block} and forgets the processed-event keys of later blocks,
   * in one transaction: after a chain reset or reorganisation, the events after {@code block} are
   * read and delivered again (their effects are idempotent). {@code -1} means "nothing processed".
   */
  Future<Void> rewind(long block);

  /**
   * Forgets processed-event keys of blocks before {@code block} (they cannot be re-delivered once
   * the indexer is past them).
   *
   * @return how many keys were forgotten
   */
  Future<Integer> forgetBefore(long block);
}
