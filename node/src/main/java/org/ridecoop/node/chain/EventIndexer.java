package org.ridecoop.node.chain;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.Membership;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.node.store.EventKey;
import org.ridecoop.node.store.IndexerCursor;
import org.ridecoop.protocol.RideIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Follows the RideLedger, Membership and FareSchedule events with {@code eth_getLogs} polls from
 * the block after the stored cursor to the chain head, in bounded ranges. An event is recorded as
 * processed (its key, in the store) once every listener has taken it; the cursor moves past a
 * range once all its events are recorded. So after an RPC outage or a restart the indexer
 * backfills from the cursor, and the keys stop an event from being delivered twice.
 *
 * <p><b>Chain reset or reorganisation.</b> Each poll checks that the chain still holds what the
 * indexer processed: the head must not be behind the cursor, and (when the head moved since the
 * last poll) the block at the cursor must have the hash the indexer saw when it got there. If not (a development chain restarted without its
 * state, an RPC endpoint switched to another chain, a reorganisation deeper than the cursor), the
 * indexer logs it loudly, rewinds the cursor {@link #REWIND_DEPTH} blocks below the last block both
 * chains can share (never before the start block) and reads forward again: the events there are
 * delivered again, and the store's writes are idempotent. Until it is back at the height it had
 * reached, {@link #resyncing()} says why, and the node's readiness fails with that reason (a node
 * whose chain went backwards should not take riders on state the chain no longer has). The hash
 * at the cursor is known only from the first poll after a start: a reorganisation while the node
 * was down at the same height or above is not detected (a chain behind the cursor is).
 *
 * <p>Runs as a verticle: listeners are called on its event-loop context; RPCs run on a dedicated
 * worker thread.
 */
public final class EventIndexer extends VerticleBase implements LedgerEvents {

  private static final Logger LOG = LoggerFactory.getLogger(EventIndexer.class);

  /**
   * Tuning.
   *
   * @param poll pause between polls once caught up
   * @param maxRange most blocks asked for in one {@code eth_getLogs}
   * @param startBlock first block to read when no cursor is stored (the deployment block)
   * @param maxBackoff longest pause between attempts while the RPC is down
   */
  public record Settings(Duration poll, long maxRange, long startBlock, Duration maxBackoff) {
    /** Checks the values. */
    public Settings {
      if (poll.isNegative() || poll.isZero()) throw new IllegalArgumentException("poll must be > 0");
      if (maxRange < 1) throw new IllegalArgumentException("maxRange must be >= 1");
      if (startBlock < 0) throw new IllegalArgumentException("startBlock must be >= 0");
    }

    /** 200 ms polls, 2,000-block ranges, up to 5 s between attempts while the RPC is down. */
    public static Settings defaults(long startBlock) {
      return new Settings(Duration.ofMillis(200), 2_000, startBlock, Duration.ofSeconds(5));
    }
  }

  /** Processed-event keys are kept this many blocks behind the cursor, then forgotten. */
  private static final long FORGET_EVERY = 1_000;

  /**
   * How far below the last block both chains can share the cursor is rewound after a reset or
   * reorganisation: deeper than any reorganisation a QBFT (final) or proof-of-stake chain makes.
   */
  public static final long REWIND_DEPTH = 64;

  private record Decoded(LedgerEvent event, EventKey key) {}

  private final Web3j web3j;
  private final List<String> addresses;
  private final IndexerCursor cursor;
  private final Settings settings;
  private final Map<String, Function<Log, LedgerEvent>> decoders = new HashMap<>();
  private final List<Function<LedgerEvent, Future<?>>> listeners = new CopyOnWriteArrayList<>();

  private WorkerExecutor rpc;
  private volatile boolean running;
  private volatile long last = -1; // last processed block; -1 before the first
  private volatile long head = -1;
  private volatile long downSince; // 0 while the RPC answers
  private int failures;
  private long timer = -1;
  private volatile long delivered;
  private long forgotten;
  private Future<?> inflight = Future.succeededFuture();
  /** The hash of block {@link #last} as seen when the indexer got there; null when not known. */
  private volatile String lastHash;
  /** While re-syncing after a reset or reorganisation: why, and the height to regain. */
  private volatile String resyncReason;
  private volatile long resyncUntil = -1;
  private volatile long resyncs;

  /**
   * @param web3j the chain client (its calls run on the indexer's worker thread)
   * @param ledger address of the RideLedger
   * @param membership address of Membership
   * @param fareSchedule address of the FareSchedule
   * @param cursor where the position and processed keys are stored
   */
  public EventIndexer(Web3j web3j, String ledger, String membership, String fareSchedule, IndexerCursor cursor,
      Settings settings) {
    this.web3j = Objects.requireNonNull(web3j);
    this.addresses = List.of(ledger, membership, fareSchedule);
    this.cursor = Objects.requireNonNull(cursor);
    this.settings = Objects.requireNonNull(settings);
    registerDecoders();
  }

  @Override
  public void onEvent(Consumer<LedgerEvent> listener) {
    Objects.requireNonNull(listener);
    listeners.add(e -> {
      listener.accept(e);
      return Future.succeededFuture();
    });
  }

  @Override
  public void onEventAsync(Function<LedgerEvent, Future<?>> listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  @Override
  public OptionalLong lastProcessedBlock() {
    long l = last;
    return l < 0 ? OptionalLong.empty() : OptionalLong.of(l);
  }

  @Override
  public long lag() {
    long h = head;
    long l = last;
    if (h < 0) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, h - Math.max(l, settings.startBlock() - 1));
  }

  /** Since when the RPC fails, if it does now. */
  public java.util.Optional<Instant> rpcDownSince() {
    long d = downSince;
    return d == 0 ? java.util.Optional.empty() : java.util.Optional.of(Instant.ofEpochMilli(d));
  }

  /**
   * Why the indexer is re-syncing after a chain reset or reorganisation, while it is; empty once it
   * is back at the height it had reached.
   */
  public java.util.Optional<String> resyncing() {
    return java.util.Optional.ofNullable(resyncReason);
  }

  /** How many chain resets or reorganisations were detected since start. */
  public long resyncs() {
    return resyncs;
  }

  /** How many events were delivered since start. */
  public long delivered() {
    return delivered;
  }

  @Override
  public Future<?> start() {
    rpc = vertx.createSharedWorkerExecutor("ridecoop-indexer-" + UUID.randomUUID(), 1);
    return cursor.lastProcessedBlock().onSuccess(b -> {
      last = b.orElse(-1);
      running = true;
      LOG.info("indexer started from={} contracts={}", from(), addresses);
      schedule(0);
    });
  }

  @Override
  public Future<?> stop() {
    running = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    // Let a poll under way finish (its listeners and cursor write) before the store may close.
    return inflight.otherwiseEmpty().compose(v -> rpc == null ? Future.succeededFuture() : rpc.close());
  }

  private long from() {
    return Math.max(last + 1, settings.startBlock());
  }

  private void schedule(long delayMs) {
    if (!running) {
      return;
    }
    if (delayMs <= 0) {
      context.runOnContext(v -> poll());
    } else {
      timer = vertx.setTimer(delayMs, id -> {
        timer = -1;
        poll();
      });
    }
  }

  private void poll() {
    if (!running) {
      return;
    }
    Promise<Void> done = Promise.promise();
    inflight = done.future();
    rpc.<BigInteger>executeBlocking(() -> web3j.ethBlockNumber().send().getBlockNumber())
        .compose(h -> {
          long before = head;
          head = h.longValueExact();
          return checkCursor(head, before);
        })
        .compose(consistent -> {
          if (!consistent) {
            return Future.succeededFuture(true); // rewound: read forward again at once
          }
          long from = from();
          if (from > head) {
            return Future.succeededFuture(false);
          }
          long to = Math.min(head, from + settings.maxRange() - 1);
          return fetch(from, to).compose(logs -> process(logs, to))
              .compose(v -> blockHash(to)).map(hash -> {
                lastHash = hash;
                return to < head;
              });
        })
        .onComplete(ar -> {
          done.complete();
          if (!running) {
            return;
          }
          if (ar.succeeded()) {
            recovered();
            schedule(ar.result() ? 0 : settings.poll().toMillis());
          } else {
            failed(ar.cause());
          }
        });
  }

  /**
   * Whether the chain still holds the cursor's block as the indexer saw it; if not, rewinds and
   * completes with false.
   */
  private Future<Boolean> checkCursor(long chainHead, long previousHead) {
    long at = last;
    if (at < 0 || at < settings.startBlock()) {
      return Future.succeededFuture(true);
    }
    if (chainHead < at) {
      return rewind(chainHead, "the chain head " + chainHead + " is behind the indexer's cursor " + at
          + " (chain reset or reorganised)");
    }
    if (chainHead == previousHead && lastHash != null) {
      // An idle poll (no new block since the last one, whose hash was checked): no block to compare,
      // so no extra RPC on every poll of a quiet chain.
      return Future.succeededFuture(true);
    }
    return blockHash(at).compose(hash -> {
      String seen = lastHash;
      if (seen == null || hash == null) {
        lastHash = hash;
        return Future.succeededFuture(true);
      }
      if (!seen.equalsIgnoreCase(hash)) {
        return rewind(at - 1, "block " + at + " has hash " + hash + ", not " + seen
            + " as when it was indexed (chain reorganised or replaced)");
      }
      return Future.succeededFuture(true);
    });
  }

  /** Rewinds below {@code shared}, the last block both chains can have in common. */
  private Future<Boolean> rewind(long shared, String why) {
    long before = last;
    long to = Math.max(settings.startBlock() - 1, Math.min(shared, before) - REWIND_DEPTH);
    resyncs++;
    resyncUntil = Math.max(resyncUntil, before);
    resyncReason = why + "; re-syncing from block " + (to + 1) + " until block " + resyncUntil;
    LOG.error("indexer: {}: rewinding the cursor from {} to {}; events after it are applied again",
        why, before, to);
    return cursor.rewind(to).map(v -> {
      last = to;
      lastHash = null;
      return false;
    });
  }

  private Future<String> blockHash(long number) {
    return rpc.executeBlocking(() -> {
      var block = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false).send();
      if (block.hasError()) {
        throw new java.io.IOException("eth_getBlockByNumber " + number + ": " + block.getError().getMessage());
      }
      return block.getBlock() == null ? null : block.getBlock().getHash();
    });
  }

  private Future<List<Log>> fetch(long from, long to) {
    return rpc.executeBlocking(() -> {
      EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
          DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), addresses);
      EthLog response = web3j.ethGetLogs(filter).send();
      if (response.hasError()) {
        throw new java.io.IOException("eth_getLogs " + from + ".." + to + ": " + response.getError().getMessage());
      }
      List<Log> logs = new ArrayList<>();
      for (EthLog.LogResult<?> r : response.getLogs()) {
        logs.add((Log) r.get());
      }
      return logs;
    });
  }

  private Future<Void> process(List<Log> logs, long to) {
    List<Decoded> events = new ArrayList<>();
    for (Log log : logs) {
      if (Boolean.TRUE.equals(log.isRemoved()) || log.getTopics() == null || log.getTopics().isEmpty()) {
        continue;
      }
      Function<Log, LedgerEvent> decoder = decoders.get(log.getTopics().get(0).toLowerCase(java.util.Locale.ROOT));
      if (decoder == null) {
        continue; // an event nobody follows (deposits, governance settings...)
      }
      LedgerEvent e;
      try {
        e = decoder.apply(log);
      } catch (RuntimeException bad) {
        // A log that does not match its event's ABI would stop the indexer forever: skip it, loudly.
        LOG.error("indexer skipped an undecodable log block={} tx={} logIndex={} error={}", log.getBlockNumber(),
            log.getTransactionHash(), log.getLogIndex(), bad.toString());
        continue;
      }
      events.add(new Decoded(e, new EventKey(e.txHash(), e.logIndex(), e.block())));
    }
    events.sort(Comparator.comparingLong((Decoded d) -> d.event().block()).thenComparingLong(d -> d.event().logIndex()));
    return cursor.processedAmong(events.stream().map(Decoded::key).toList())
        .compose(done -> deliver(events, 0, done))
        .compose(v -> cursor.advance(to, List.of()))
        .onSuccess(v -> {
          last = to;
          lastHash = null; // until read: a stale hash must not pass for the new cursor block's
          if (resyncReason != null && to >= resyncUntil) {
            LOG.warn("indexer re-synced: back at block {} after: {}", to, resyncReason);
            resyncReason = null;
            resyncUntil = -1;
          }
          // Keys of blocks before the cursor can no longer come back: the next poll starts after it.
          if (to - forgotten >= FORGET_EVERY) {
            forgotten = to;
            cursor.forgetBefore(to - FORGET_EVERY);
          }
        });
  }

  private Future<Void> deliver(List<Decoded> events, int index, Set<EventKey> done) {
    if (index == events.size()) {
      return Future.succeededFuture();
    }
    Decoded d = events.get(index);
    if (done.contains(d.key())) {
      return deliver(events, index + 1, done);
    }
    List<Future<?>> results = new ArrayList<>(listeners.size());
    for (Function<LedgerEvent, Future<?>> l : listeners) {
      try {
        results.add(l.apply(d.event()));
      } catch (RuntimeException e) {
        // A listener that throws has not taken the event: retry it on the next poll.
        results.add(Future.failedFuture(e));
      }
    }
    return Future.all(results)
        // Mark the event, and move the cursor to the block before it (its block may hold more).
        .compose(v -> cursor.advance(d.event().block() - 1, List.of(d.key())))
        .onSuccess(v -> delivered++)
        .compose(v -> deliver(events, index + 1, done));
  }

  private void recovered() {
    if (downSince != 0) {
      LOG.info("indexer rpc back downFor={}ms backfilling from={} head={}",
          System.currentTimeMillis() - downSince, from(), head);
      downSince = 0;
    }
    failures = 0;
  }

  private void failed(Throwable e) {
    failures++;
    boolean rpcFailure = e instanceof java.io.IOException || e.getCause() instanceof java.io.IOException;
    if (!rpcFailure) {
      // A store or listener failure: the RPC is fine, the same events are retried.
      LOG.warn("indexer processing failed, retrying from={} error={}", from(), e.toString());
    } else if (downSince == 0) {
      downSince = System.currentTimeMillis();
      LOG.warn("indexer rpc down since={} retrying from={} error={}", Instant.ofEpochMilli(downSince), from(),
          e.toString());
    }
    long backoff = Math.min(settings.maxBackoff().toMillis(),
        settings.poll().toMillis() << Math.min(failures, 10));
    schedule(backoff);
  }

  // ------------------------------------------------------------------ decoding

  private void on(org.web3j.abi.datatypes.Event event, Function<Log, LedgerEvent> decoder) {
    decoders.put(EventEncoder.encode(event).toLowerCase(java.util.Locale.ROOT), decoder);
  }

  private static long block(Log l) {
    return l.getBlockNumber().longValueExact();
  }

  private static long index(Log l) {
    return l.getLogIndex().longValueExact();
  }

  private static List<Long> cells(List<BigInteger> cells) {
    return cells.stream().map(BigInteger::longValue).toList();
  }

  private void registerDecoders() {
    on(RideLedger.RIDEBOOKED_EVENT, l -> {
      var e = RideLedger.getRideBookedEventFromLog(l);
      return new LedgerEvent.RideBooked(e.rideId, RideIds.rider(e.rideId), e.driver, e.requestHash, e.maxFare,
          e.version.intValueExact(), block(l), l.getTransactionHash(), index(l));
    });
    on(RideLedger.RECEIPTSUBMITTED_EVENT, l -> {
      var e = RideLedger.getReceiptSubmittedEventFromLog(l);
      return new LedgerEvent.ReceiptSubmitted(e.rideId, e.fare, e.distanceMetres.longValueExact(),
          e.durationSeconds.longValueExact(), e.routeHash, block(l), l.getTransactionHash(), index(l));
    });
    on(RideLedger.RIDESETTLED_EVENT, l -> {
      var e = RideLedger.getRideSettledEventFromLog(l);
      return new LedgerEvent.RideSettled(e.rideId, e.fare, e.commission, block(l),
          l.getTransactionHash(), index(l));
    });
    on(RideLedger.RIDECANCELLED_EVENT, l -> {
      var e = RideLedger.getRideCancelledEventFromLog(l);
      return new LedgerEvent.RideCancelled(e.rideId, e.by, e.feeToDriver, e.refund, block(l),
          l.getTransactionHash(), index(l));
    });
    on(RideLedger.RIDERECLAIMED_EVENT, l -> {
      var e = RideLedger.getRideReclaimedEventFromLog(l);
      return new LedgerEvent.RideReclaimed(e.rideId, e.refund, block(l), l.getTransactionHash(), index(l));
    });
    on(RideLedger.RIDEDISPUTED_EVENT, l -> {
      var e = RideLedger.getRideDisputedEventFromLog(l);
      return new LedgerEvent.RideDisputed(e.rideId, e.by, e.evidenceHash, block(l), l.getTransactionHash(), index(l));
    });
    on(RideLedger.DISPUTERESOLVED_EVENT, l -> {
      var e = RideLedger.getDisputeResolvedEventFromLog(l);
      return new LedgerEvent.DisputeResolved(e.rideId, e.driverFare, e.riderRefund, e.rulingHash, block(l),
          l.getTransactionHash(), index(l));
    });
    on(Membership.NODEREGISTERED_EVENT, l -> {
      var e = Membership.getNodeRegisteredEventFromLog(l);
      return new LedgerEvent.NodeRegistered(e.node, e.operator, e.endpoint, e.enode, cells(e.cells), block(l),
          l.getTransactionHash(), index(l));
    });
    on(Membership.NODEUPDATED_EVENT, l -> {
      var e = Membership.getNodeUpdatedEventFromLog(l);
      return new LedgerEvent.NodeUpdated(e.node, e.operator, e.endpoint, e.enode, cells(e.cells), block(l),
          l.getTransactionHash(), index(l));
    });
    on(Membership.NODEREMOVED_EVENT, l -> {
      var e = Membership.getNodeRemovedEventFromLog(l);
      return new LedgerEvent.NodeRemoved(e.node, e.operator, e.removedBy, block(l), l.getTransactionHash(), index(l));
    });
    on(Membership.MEMBERJOINED_EVENT, l -> {
      var e = Membership.getMemberJoinedEventFromLog(l);
      return new LedgerEvent.MemberJoined(e.account, e.college.intValueExact(), e.capital, block(l),
          l.getTransactionHash(), index(l));
    });
    on(Membership.MEMBERLEFT_EVENT, l -> {
      var e = Membership.getMemberLeftEventFromLog(l);
      return new LedgerEvent.MemberLeft(e.account, e.refund, block(l), l.getTransactionHash(), index(l));
    });
    on(Membership.MEMBERSUSPENDED_EVENT, l -> {
      var e = Membership.getMemberSuspendedEventFromLog(l);
      return new LedgerEvent.MemberSuspended(e.account, e.reasonHash, block(l), l.getTransactionHash(), index(l));
    });
    on(Membership.MEMBEREXCLUDED_EVENT, l -> {
      var e = Membership.getMemberExcludedEventFromLog(l);
      return new LedgerEvent.MemberExcluded(e.account, e.reasonHash, block(l), l.getTransactionHash(), index(l));
    });
    on(Membership.MEMBERREINSTATED_EVENT, l -> {
      var e = Membership.getMemberReinstatedEventFromLog(l);
      return new LedgerEvent.MemberReinstated(e.account, e.reasonHash, block(l), l.getTransactionHash(), index(l));
    });
    on(FareSchedule.FARESCHEDULEPUBLISHED_EVENT, l -> {
      var e = FareSchedule.getFareSchedulePublishedEventFromLog(l);
      return new LedgerEvent.FareSchedulePublished(e.version.intValueExact(), block(l), l.getTransactionHash(),
          index(l));
    });
  }
}
