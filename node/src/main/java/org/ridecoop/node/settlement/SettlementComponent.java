package org.ridecoop.node.settlement;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ridecoop.chain.ContractRevertException;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeServices;
import org.ridecoop.node.api.NodeMetrics;
import org.ridecoop.node.chain.ChainGateway;
import org.ridecoop.node.chain.LedgerEvent;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.store.CoSignedReceipt;
import org.ridecoop.node.store.QueuedReceipt;
import org.ridecoop.node.store.ReceiptQueue;
import org.ridecoop.protocol.ContractStructs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Settles co-signed receipts: takes them durably ({@link SettlementQueue}), and sends them in
 * {@code RideLedger.settleBatch} transactions once {@code settlement.batchSize} wait or the oldest
 * has waited {@code settlement.maxAgeMillis}.
 *
 * <p>Never settles twice: before every send each ride's status is read on chain, and a ride
 * already {@code Settled} (by an earlier send whose outcome a crash or an RPC failure hid) is
 * marked settled with the transaction that did it, not resent. A batch that reverts is retried
 * receipt by receipt, so one bad receipt does not hold the others back; failures wait with an
 * exponential backoff. {@code RideSettled} events confirm settlement too.
 *
 * <p>Needs the chain component started before it; runs as a verticle (its own event-loop context).
 */
public final class SettlementComponent implements NodeComponent {

  private static final Logger LOG = LoggerFactory.getLogger(SettlementComponent.class);

  /** Status {@code Booked} of the RideLedger's {@code RideStatus}. */
  static final int BOOKED = 1;
  /** Status {@code Settled} of the RideLedger's {@code RideStatus}. */
  static final int SETTLED = 4;

  /**
   * Tuning.
   *
   * @param check how often the queue is looked at
   * @param firstBackoff pause after a first failed attempt; doubled per further failure
   * @param maxBackoff longest pause between attempts
   */
  public record Settings(Duration check, Duration firstBackoff, Duration maxBackoff) {
    /** Checks every second; backoff from 1 s to 5 min. */
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5));
  }

  private final Settings settings;
  private final Clock clock;
  private Settler settler;
  private NodeServices services;
  private String deployment;

  /** Default settings and the system clock. */
  public SettlementComponent() {
    this(Settings.DEFAULT, Clock.systemUTC());
  }

  /** Explicit settings; {@code clock} decides when receipts are old enough and retries due. */
  public SettlementComponent(Settings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public String name() {
    return "settlement";
  }

  @Override
  public Future<Void> start(NodeServices s) {
    this.services = s;
    settler = new Settler(s.chain(), s.store().receipts(), s.config().settlement(), s.metrics());
    s.provideSettlement(settler);
    s.ledgerEvents().onEventAsync(settler::onLedgerEvent);
    return s.vertx().deployVerticle(settler).map(id -> {
      deployment = id;
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    return deployment == null ? Future.succeededFuture() : services.vertx().undeploy(deployment);
  }

  /** The queue, once started. */
  public SettlementQueue queue() {
    return settler;
  }

  /** The batching loop. Its state is touched only on its own context. */
  private final class Settler extends VerticleBase implements SettlementQueue {
    private final ChainGateway chain;
    private final ReceiptQueue queue;
    private final NodeConfig.Settlement config;
    private final NodeMetrics metrics;
    private boolean busy;
    private boolean again;
    private long timer = -1;
    private volatile long pending;

    Settler(ChainGateway chain, ReceiptQueue queue, NodeConfig.Settlement config, NodeMetrics metrics) {
      this.chain = chain;
      this.queue = queue;
      this.config = config;
      this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
      // After a restart, first mark what the chain already settled; then carry on.
      return reconcile().onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("settlement reconcile failed, will retry error={}", ar.cause().toString());
        }
        timer = vertx.setPeriodic(settings.check().toMillis(), id -> kick());
        kick();
      }).otherwiseEmpty();
    }

    @Override
    public Future<?> stop() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> enqueue(CoSignedReceipt receipt) {
      return queue.enqueue(receipt).compose(added -> {
        if (added) {
          LOG.info("receipt queued rideId={}", receipt.receipt().rideId());
        }
        return queue.pendingCount();
      }).map(n -> {
        pending = n;
        metrics.queueSize(NodeMetrics.RECEIPTS, n);
        if (n >= config.batchSize() && context != null) {
          context.runOnContext(v -> kick());
        }
        return null;
      });
    }

    @Override
    public long pending() {
      return pending;
    }

    Future<Object> onLedgerEvent(LedgerEvent e) {
      if (!(e instanceof LedgerEvent.RideSettled s)) {
        return Future.succeededFuture();
      }
      return queue.find(s.rideId()).compose(q -> {
        if (q.isPresent() && !q.get().isSettled()) {
          LOG.info("settlement confirmed rideId={} tx={} fare={} commission={}", s.rideId(), s.txHash(), s.fare(),
              s.commission());
          return queue.settled(List.of(s.rideId()), s.txHash()).map(v -> (Object) null);
        }
        return Future.succeededFuture();
      });
    }

    private void kick() {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      again = false;
      round().onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("settlement round failed error={}", ar.cause().toString());
        }
        queue.pendingCount().onSuccess(n -> {
          pending = n;
          metrics.queueSize(NodeMetrics.RECEIPTS, n);
        });
        busy = false;
        if (again || (ar.succeeded() && ar.result())) {
          kick();
        }
      });
    }

    /** One batch; true when another may be due at once. */
    private Future<Boolean> round() {
      return queue.due(config.batchSize()).compose(due -> {
        if (due.isEmpty()) {
          return Future.succeededFuture(false);
        }
        long oldest = due.stream().mapToLong(QueuedReceipt::queuedAt).min().orElseThrow();
        boolean retry = due.stream().anyMatch(q -> q.attempts() > 0);
        if (due.size() < config.batchSize() && clock.millis() - oldest < config.maxAgeMillis() && !retry) {
          return Future.succeededFuture(false);
        }
        return unsettled(due).compose(open -> settle(open, true)).map(v -> due.size() == config.batchSize());
      });
    }

    /** The receipts whose rides are still Booked; the rest marked settled or failed. */
    private Future<List<QueuedReceipt>> unsettled(List<QueuedReceipt> receipts) {
      return chain.view(() -> {
        List<Integer> statuses = new ArrayList<>();
        for (QueuedReceipt q : receipts) {
          statuses.add(chain.ledger().rideOf(q.receipt().receipt().rideId()).send().component6().intValue());
        }
        return statuses;
      }).compose(statuses -> {
        List<QueuedReceipt> open = new ArrayList<>();
        List<BigInteger> settled = new ArrayList<>();
        List<BigInteger> stuck = new ArrayList<>();
        for (int i = 0; i < receipts.size(); i++) {
          BigInteger id = receipts.get(i).receipt().receipt().rideId();
          switch (statuses.get(i)) {
            case BOOKED -> open.add(receipts.get(i));
            case SETTLED -> settled.add(id);
            default -> stuck.add(id);
          }
        }
        Future<Void> done = Future.succeededFuture();
        for (BigInteger id : settled) {
          done = done.compose(v -> settledBy(id)).compose(tx -> {
            LOG.info("receipt already settled on chain, not resent rideId={} tx={}", id, tx);
            return queue.settled(List.of(id), tx);
          });
        }
        if (!stuck.isEmpty()) {
          // Cancelled, reclaimed, disputed...: a co-signed receipt can no longer settle it.
          LOG.warn("receipts cannot settle: ride not booked rideIds={}", stuck);
          done = done.compose(v -> queue.attemptFailed(stuck, "ride is no longer Booked on chain",
              clock.millis() + settings.maxBackoff().toMillis()));
        }
        return done.map(v -> open);
      });
    }

    /** The transaction that settled a ride, from its RideSettled event. */
    private Future<String> settledBy(BigInteger rideId) {
      return chain.view(() -> {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(chain.manifest().deploymentBlock())),
            DefaultBlockParameterName.LATEST, chain.manifest().address("RideLedger"));
        filter.addSingleTopic(EventEncoder.encode(RideLedger.RIDESETTLED_EVENT));
        filter.addSingleTopic("0x" + TypeEncoder.encode(new Uint256(rideId)));
        EthLog logs = chain.access().web3j().ethGetLogs(filter).send();
        if (logs.hasError() || logs.getLogs().isEmpty()) {
          return "unknown";
        }
        return ((Log) logs.getLogs().get(logs.getLogs().size() - 1).get()).getTransactionHash();
      });
    }

    private Future<Void> settle(List<QueuedReceipt> batch, boolean splitOnRevert) {
      if (batch.isEmpty()) {
        return Future.succeededFuture();
      }
      List<RideLedger.PackedReceipt> receipts = new ArrayList<>();
      List<byte[]> signatures = new ArrayList<>();
      List<BigInteger> ids = new ArrayList<>();
      for (QueuedReceipt q : batch) {
        CoSignedReceipt r = q.receipt();
        receipts.add(ContractStructs.receipt(r.receipt()));
        signatures.add(r.riderSignature());
        ids.add(r.receipt().rideId());
      }
      long started = clock.millis();
      return chain.send(chain.ledger().settleBatch(receipts, ContractStructs.signatures(signatures))).transform(ar -> {
        if (ar.succeeded()) {
          TransactionReceipt tx = ar.result();
          LOG.info("batch settled size={} gas={} tx={} block={} tookMs={}", batch.size(), tx.getGasUsed(),
              tx.getTransactionHash(), tx.getBlockNumber(), clock.millis() - started);
          return queue.settled(ids, tx.getTransactionHash());
        }
        Throwable e = ar.cause();
        if (e instanceof ContractRevertException && splitOnRevert && batch.size() > 1) {
          LOG.warn("batch reverted, settling one by one size={} error={}", batch.size(), e.getMessage());
          Future<Void> each = Future.succeededFuture();
          for (QueuedReceipt q : batch) {
            each = each.compose(v -> settle(List.of(q), false));
          }
          return each;
        }
        int attempts = batch.stream().mapToInt(QueuedReceipt::attempts).max().orElse(0) + 1;
        long backoff = Math.min(settings.maxBackoff().toMillis(),
            settings.firstBackoff().toMillis() << Math.min(attempts - 1, 20));
        LOG.warn("settlement failed size={} attempt={} retryInMs={} rideIds={} error={}", batch.size(), attempts,
            backoff, ids, e.getMessage());
        return queue.attemptFailed(ids, String.valueOf(e.getMessage()), clock.millis() + backoff);
      });
    }

    private Future<Void> reconcile() {
      return queue.due(Integer.MAX_VALUE).compose(due -> {
        if (due.isEmpty()) {
          return Future.succeededFuture();
        }
        LOG.info("settlement reconciling pending={}", due.size());
        return unsettled(due).map(open -> {
          LOG.info("settlement reconciled pending={} stillOpen={}", due.size(), open.size());
          return null;
        });
      });
    }
  }
}
