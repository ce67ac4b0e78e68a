package org.ridecoop.node.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.chain.LedgerEvent;
import org.ridecoop.node.store.CoSignedReceipt;
import org.ridecoop.node.store.QueuedReceipt;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;

/** Settlement through a real node (store file, chain component, indexer) on Anvil. */
@ExtendWith(AnvilExtension.class)
class SettlementTest {

  static final long DEPOSIT = 100_000_000;
  static final long MAX_FARE = 30_000_000;

  static CoopFixture f;
  static Credentials driver;

  @TempDir
  Path dir;

  ChainNode node;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    driver = f.driver(0);
    f.join(driver, 0);
  }

  @BeforeEach
  void files() throws Exception {
    node = new ChainNode(dir.resolve("node"), f, driver);
  }

  /** A booked ride of rider {@code i} with the driver, and its co-signed receipt. */
  CoSignedReceipt ride(int rider) throws Exception {
    Credentials r = f.rider(rider);
    f.deposit(r, DEPOSIT);
    BigInteger id = f.book(r, driver, MAX_FARE);
    f.chain.increaseTime(60);
    TripReceipt receipt = f.receipt(id, 5_000, 900);
    return new CoSignedReceipt(receipt, f.cosign(receipt, r));
  }

  static <T> T eventually(Callable<T> probe, java.util.function.Predicate<T> done) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    T value = probe.call();
    while (!done.test(value)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not reached in 30 s; last value " + value);
      }
      Thread.sleep(50);
      value = probe.call();
    }
    return value;
  }

  Optional<QueuedReceipt> queued(NodeRuntime n, BigInteger rideId) {
    return n.services().store().receipts().find(rideId).await();
  }

  /** RideSettled logs for a ride on chain. */
  int settledLogs(BigInteger rideId) throws Exception {
    EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
        f.manifest.address("RideLedger"));
    filter.addSingleTopic(EventEncoder.encode(RideLedger.RIDESETTLED_EVENT));
    filter.addSingleTopic(org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(rideId, 64));
    return f.chain.web3j().ethGetLogs(filter).send().getLogs().size();
  }

  @Test
  void settlesAFullBatchInOneTransactionAndPaysOnChain() throws Exception {
    int n = 4;
    List<CoSignedReceipt> receipts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      receipts.add(ride(i));
    }
    BigInteger earningsBefore = f.ledger(driver).driverOf(driver.getAddress()).send().component1();
    NodeRuntime runtime = node.start(node.config(n, 3_600_000));
    Map<BigInteger, LedgerEvent.RideSettled> settled = new ConcurrentHashMap<>();
    try {
      runtime.services().ledgerEvents().onEvent(e -> {
        if (e instanceof LedgerEvent.RideSettled s) {
          settled.put(s.rideId(), s);
        }
      });
      for (CoSignedReceipt r : receipts) {
        runtime.services().settlement().enqueue(r).await();
        // durable before the acknowledgement: the store has it
        assertThat(queued(runtime, r.receipt().rideId())).isPresent();
      }
      for (CoSignedReceipt r : receipts) {
        eventually(() -> queued(runtime, r.receipt().rideId()).flatMap(QueuedReceipt::settledTx), Optional::isPresent);
      }
      List<String> txs = receipts.stream()
          .map(r -> queued(runtime, r.receipt().rideId()).orElseThrow().settledTx().orElseThrow()).distinct().toList();
      assertThat(txs).as("one settleBatch transaction").hasSize(1);
      eventually(settled::size, s -> s == n);

      BigInteger driverPay = BigInteger.ZERO;
      for (int i = 0; i < n; i++) {
        CoSignedReceipt r = receipts.get(i);
        LedgerEvent.RideSettled s = settled.get(r.receipt().rideId());
        assertThat(s.txHash()).isEqualTo(txs.get(0));
        assertThat(s.fare()).isPositive();
        assertThat(f.ledger(driver).rideOf(r.receipt().rideId()).send().component6().intValue())
            .as("Settled").isEqualTo(4);
        assertThat(f.ledger(driver).walletOf(f.rider(i).getAddress()).send().component1())
            .as("rider pays the fare, escrow rest refunded")
            .isEqualTo(BigInteger.valueOf(DEPOSIT).subtract(s.fare()));
        driverPay = driverPay.add(s.fare()).subtract(s.commission());
      }
      assertThat(f.ledger(driver).driverOf(driver.getAddress()).send().component1())
          .isEqualTo(earningsBefore.add(driverPay));
      assertThat(runtime.services().store().receipts().pendingCount().await()).isZero();
      assertThat(runtime.services().registry().get("ridecoop.gas.spent").counter().count()).isPositive();
    } finally {
      runtime.stop().await();
    }
  }

  @Test
  void aReceiptAlreadySettledOnChainIsNotResent() throws Exception {
    CoSignedReceipt done = ride(0);
    CoSignedReceipt open = ride(1);
    // settled behind the node's back (e.g. by an earlier send whose result a crash lost)
    var direct = f.ledger(driver).settle(ContractStructs.receipt(done.receipt()), ContractStructs.signature(done.riderSignature())).send();

    NodeRuntime runtime = node.start(node.config(2, 1_000)); // the indexer may confirm the first before the second arrives
    try {
      runtime.services().settlement().enqueue(done).await();
      runtime.services().settlement().enqueue(open).await();
      QueuedReceipt first = eventually(() -> queued(runtime, done.receipt().rideId()).orElseThrow(),
          QueuedReceipt::isSettled);
      QueuedReceipt second = eventually(() -> queued(runtime, open.receipt().rideId()).orElseThrow(),
          QueuedReceipt::isSettled);
      assertThat(first.settledTx()).contains(direct.getTransactionHash());
      assertThat(first.attempts()).as("never failed: it was not resent").isZero();
      assertThat(second.settledTx().orElseThrow()).isNotEqualTo(direct.getTransactionHash());
      assertThat(second.attempts()).isZero();
      assertThat(settledLogs(done.receipt().rideId())).isEqualTo(1);
      assertThat(settledLogs(open.receipt().rideId())).isEqualTo(1);
    } finally {
      runtime.stop().await();
    }
  }

  @Test
  void pendingReceiptsSurviveARestartAndSettleExactlyOnce() throws Exception {
    List<CoSignedReceipt> receipts = List.of(ride(0), ride(1), ride(2));
    NodeRuntime first = node.start(node.config(10, 3_600_000));
    try {
      for (CoSignedReceipt r : receipts) {
        first.services().settlement().enqueue(r).await();
      }
      assertThat(first.services().store().receipts().pendingCount().await()).isEqualTo(3);
    } finally {
      first.stop().await(); // closes the store
    }
    // One of them reached the chain before the "crash", unrecorded by the node.
    CoSignedReceipt lost = receipts.get(0);
    f.access.resetNonces(); // the node sent with the driver key too (its registration)
    var direct = f.ledger(driver).settle(ContractStructs.receipt(lost.receipt()), ContractStructs.signature(lost.riderSignature())).send();

    NodeRuntime second = node.start(node.config(3, 1_000));
    try {
      for (CoSignedReceipt r : receipts) {
        eventually(() -> queued(second, r.receipt().rideId()).orElseThrow(), QueuedReceipt::isSettled);
      }
      assertThat(queued(second, lost.receipt().rideId()).orElseThrow().settledTx())
          .contains(direct.getTransactionHash());
      assertThat(second.services().store().receipts().pendingCount().await()).isZero();
    } finally {
      second.stop().await();
    }
    for (CoSignedReceipt r : receipts) {
      assertThat(settledLogs(r.receipt().rideId())).as("settled exactly once").isEqualTo(1);
      assertThat(f.ledger(driver).rideOf(r.receipt().rideId()).send().component6().intValue()).isEqualTo(4);
    }
  }
}
