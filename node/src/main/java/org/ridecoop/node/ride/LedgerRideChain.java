package org.ridecoop.node.ride;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ridecoop.contracts.FareSchedule;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.fare.FareParams;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeServices;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Eip712Domain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * {@link RideChain} straight on Web3j: views through the generated wrappers on worker threads, and
 * the ledger's ride events by polling {@code eth_getLogs} from the block the node started at.
 * (The node's chain gateway, with its stored indexer cursor, replaces the polling in production.)
 */
public final class LedgerRideChain implements RideChain, NodeComponent {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerRideChain.class);

  private static final String BOOKED = EventEncoder.encode(RideLedger.RIDEBOOKED_EVENT);
  private static final String SETTLED = EventEncoder.encode(RideLedger.RIDESETTLED_EVENT);
  private static final String CANCELLED = EventEncoder.encode(RideLedger.RIDECANCELLED_EVENT);
  private static final String RECLAIMED = EventEncoder.encode(RideLedger.RIDERECLAIMED_EVENT);
  private static final String DISPUTED = EventEncoder.encode(RideLedger.RIDEDISPUTED_EVENT);

  private volatile Vertx vertx;
  private final Web3j web3j;
  private final Eip712Domain domain;
  private final RideLedger ledger;
  private final FareSchedule schedule;
  private final long pollMillis;
  private final List<Handler> handlers = new CopyOnWriteArrayList<>();
  private volatile long nextBlock = -1;
  private long timer = -1;
  private boolean polling;

  private record Handler(Context context, Consumer<RideEvent> consumer) {}

  /**
   * @param web3j the chain connection
   * @param chainId the chain's id
   * @param ledgerAddress the RideLedger
   * @param scheduleAddress the FareSchedule
   * @param pollMillis how often new logs are fetched
   */
  public LedgerRideChain(Web3j web3j, long chainId, String ledgerAddress, String scheduleAddress,
      long pollMillis) {
    this.web3j = web3j;
    this.domain = Eip712Domain.rideLedger(chainId, ledgerAddress);
    var readOnly = new ReadonlyTransactionManager(web3j, ledgerAddress);
    var gas = new StaticGasProvider(BigInteger.ZERO, BigInteger.valueOf(10_000_000));
    this.ledger = RideLedger.load(ledgerAddress, web3j, readOnly, gas);
    this.schedule = FareSchedule.load(scheduleAddress, web3j, readOnly, gas);
    this.pollMillis = pollMillis;
  }

  @Override
  public String name() {
    return "ride-chain";
  }

  /** Starts following events from the current block. */
  @Override
  public Future<Void> start(NodeServices services) {
    this.vertx = services.vertx();
    return blocking(() -> web3j.ethBlockNumber().send().getBlockNumber().longValueExact()).map(n -> {
      nextBlock = n + 1;
      timer = vertx.setPeriodic(pollMillis, id -> poll());
      return null;
    });
  }

  /** Stops following events. */
  @Override
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }

  @Override
  public Eip712Domain ledgerDomain() {
    return domain;
  }

  @Override
  public Future<Integer> currentScheduleVersion() {
    return blocking(() -> ledger.currentScheduleVersion().send().intValueExact());
  }

  @Override
  public Future<FareParams> fareParams(int version) {
    return blocking(() -> ContractStructs.fareParams(schedule.params(BigInteger.valueOf(version)).send()));
  }

  @Override
  public Future<Long> nextRideNonce(String rider) {
    return blocking(() -> ledger.walletOf(rider).send().component2().longValueExact());
  }

  @Override
  public Future<Boolean> isActiveDriver(String driver) {
    return blocking(() -> ledger.driverOf(driver).send().component3());
  }

  @Override
  public Future<BigInteger> earnings(String driver) {
    return blocking(() -> ledger.driverOf(driver).send().component1());
  }

  @Override
  public void onRideEvent(Consumer<RideEvent> handler) {
    Context context = vertx.getOrCreateContext();
    handlers.add(new Handler(context, handler));
  }

  private void poll() {
    if (polling || nextBlock < 0) {
      return;
    }
    polling = true;
    blocking(() -> {
      long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      if (head < nextBlock) {
        return List.<Log>of();
      }
      EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(nextBlock),
          new DefaultBlockParameterNumber(head), ledger.getContractAddress());
      EthLog answer = web3j.ethGetLogs(filter).send();
      if (answer.hasError()) {
        throw new IllegalStateException("eth_getLogs: " + answer.getError().getMessage());
      }
      nextBlock = head + 1;
      return answer.getLogs().stream().map(r -> (Log) r.get()).toList();
    }).onComplete(ar -> {
      polling = false;
      if (ar.failed()) {
        LOG.warn("polling ledger events failed: {}", ar.cause().toString());
        return;
      }
      for (Log log : ar.result()) {
        RideEvent e = decode(log);
        if (e != null) {
          for (Handler h : handlers) {
            h.context().runOnContext(v -> h.consumer().accept(e));
          }
        }
      }
    });
  }

  private static RideEvent decode(Log log) {
    if (log.getTopics().isEmpty()) {
      return null;
    }
    String topic = log.getTopics().get(0);
    if (topic.equals(BOOKED)) {
      var e = RideLedger.getRideBookedEventFromLog(log);
      return new Booked(e.rideId, e.driver.toLowerCase(java.util.Locale.ROOT), Numeric.toHexString(e.requestHash),
          e.maxFare, e.version.intValueExact());
    }
    if (topic.equals(SETTLED)) {
      var e = RideLedger.getRideSettledEventFromLog(log);
      return new Settled(e.rideId, e.fare);
    }
    if (topic.equals(CANCELLED)) {
      return new Cancelled(RideLedger.getRideCancelledEventFromLog(log).rideId);
    }
    if (topic.equals(RECLAIMED)) {
      return new Cancelled(RideLedger.getRideReclaimedEventFromLog(log).rideId);
    }
    if (topic.equals(DISPUTED)) {
      return new Disputed(RideLedger.getRideDisputedEventFromLog(log).rideId);
    }
    return null;
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }
}
