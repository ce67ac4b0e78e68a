package org.ridecoop.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.contracts.RideLedger;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.fare.Fare;
import org.ridecoop.fare.FareParams;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.TripReceipt;
import org.ridecoop.test.CoopFixture;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.utils.Numeric;

/**
 * A driver's node, run as a real process from the shaded jar on a real deployment (Anvil), killed
 * with SIGKILL at the moments where a crash could lose or double a fare, and started again on the
 * same data directory. Every verdict is read from the chain, never from the node's logs: the ride
 * is {@code Settled}, there is exactly one {@code RideSettled} log for it since the deployment,
 * the driver earned the fare less the commission, the rider got the rest of the escrow back, and
 * the ledger's and treasury's tokens still add up to the unit. The restarted node also shows the
 * rider the ride settled.
 *
 * <ol>
 *   <li>{@link #killedAfterAcknowledgingTheReceiptSettlesExactlyOnceAfterRestart}: the node answers
 *       200 to the rider's co-signature and is killed before settling (its settlement waits a day).
 *       Proves that an acknowledged receipt is on disk: restarted with a short settlement age, the
 *       node settles it, once; started yet again, it sends nothing more (its key's nonce stays).
 *   <li>{@link #killedBetweenBookingAndPickupCarriesOnAfterRestart}: the ride is booked on chain and
 *       the node shows it booked; the node is killed. Proves that a booked ride survives: the
 *       restarted node takes the driver's arrived, pickup and drop-off and the rider's
 *       co-signature, and the ride settles once.
 *   <li>{@link #killedWhileTheRiderBooksLearnsTheBookingAfterRestart}: the driver accepted, the node
 *       is killed, and the rider books on chain while no node runs. Proves that the node catches up
 *       with the chain from where it stopped: restarted, it shows the ride booked, and the ride
 *       completes and settles once.
 *   <li>{@link #killedWhileItsSettlementIsInFlightDoesNotSettleTwice}: the chain stops mining, the
 *       node sends its {@code settleBatch} and is killed before the transaction is mined; then it
 *       is mined. Proves the node never settles twice when a crash hid the outcome of its own
 *       send: restarted, it finds the ride settled on chain and sends nothing (its nonce stays).
 * </ol>
 *
 * <p>Each scenario has its own node key (a driver member), rider and data directory on one chain;
 * the node's output of every run stays in the test's temp directory and its tail is printed when
 * a scenario fails.
 */
class NodeCrashIT {

  static final LatLng PICKUP = new LatLng(48.8566, 2.3522);
  static final LatLng DROPOFF = new LatLng(48.8738, 2.2950);
  static final LatLng DRIVER_AT = new LatLng(48.8580, 2.3500);
  static final long DEPOSIT = 50_000_000;
  static final long MAX_FARE = 20_000_000;
  static final long METRES = 5_000;
  static final long SECONDS = 900;

  /** RideLedger ride statuses. */
  static final int BOOKED = 1;
  static final int SETTLED = 4;

  /**
   * How long a restarted node is watched for a transaction it must not send: two settlement
   * checks (one a second) after the reconciliation that runs before the node is ready.
   */
  static final long QUIET_MILLIS = 2_000;

  /** Settlement held back: a receipt waits a day (or 500 receipts) before it is sent. */
  static final Map<String, String> SETTLE_LATER = Map.of(
      "RIDECOOP_SETTLEMENT_BATCHSIZE", "500", "RIDECOOP_SETTLEMENT_MAXAGEMILLIS", "86400000");
  /** Settlement due: a receipt is sent once it has waited a second. */
  static final Map<String, String> SETTLE_SOON = Map.of(
      "RIDECOOP_SETTLEMENT_BATCHSIZE", "500", "RIDECOOP_SETTLEMENT_MAXAGEMILLIS", "1000");

  static AnvilChain chain;
  static CoopFixture coop;
  /** Every node key and every ride of the class, for the money invariant. */
  static final List<String> nodeKeys = new CopyOnWriteArrayList<>();
  static final List<BigInteger> rides = new CopyOnWriteArrayList<>();

  @TempDir
  Path dir;

  NodeProcess node;
  Credentials driver;

  @RegisterExtension
  final AfterTestExecutionCallback printNodeOutput = context -> context.getExecutionException().ifPresent(e -> {
    if (node != null) {
      System.err.println("node output of the failed scenario " + context.getDisplayName() + ":\n" + node.tail(60));
    }
  });

  @BeforeAll
  static void deploy() throws Exception {
    chain = AnvilChain.start();
    coop = CoopFixture.deploy(chain, chain.access());
  }

  @AfterAll
  static void stopChain() {
    if (chain != null) {
      chain.close();
    }
  }

  /** A fresh node key made a driver member, and its config: loopback only, no peers, quick matching. */
  @BeforeEach
  void driverNode() throws Exception {
    NodeFiles files = NodeFiles.create(dir);
    driver = WalletUtils.loadCredentials(NodeFiles.PASSWORD, files.keyFile.toFile());
    coop.join(driver, 0);
    nodeKeys.add(driver.getAddress());
    coop.manifest.write(files.manifest);
    int port = NodeFiles.freePort();
    Path config = files.config(files.yaml(port)
        .replace("http://127.0.0.1:8545", chain.rpcUrl())
        .replace("https://node1.example.org", "http://127.0.0.1:" + port)
        .replace("enabled: true", "enabled: false")
        .replace("windowMillis: 1500", "windowMillis: 100"));
    node = new NodeProcess(config, port, Map.of());
  }

  @AfterEach
  void killLeftover() {
    if (node != null) {
      node.close();
    }
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void killedAfterAcknowledgingTheReceiptSettlesExactlyOnceAfterRestart() throws Exception {
    Credentials rider = coop.rider(0);
    coop.deposit(rider, DEPOSIT);
    node.start(SETTLE_LATER);
    RideParties parties = parties();
    Booking booking = offerAccepted(parties, rider);
    bookOnChain(rider, booking);
    parties.awaitState(booking.rideId(), "booked");
    parties.cosign(rider, driveToDropoff(parties, booking)); // 200: the receipt is on the node's disk

    node.kill9();
    assertThat(rideStatus(booking.rideId())).as("not settled before the crash").isEqualTo(BOOKED);
    assertThat(settledLogs(booking.rideId())).isZero();

    node.start(SETTLE_SOON);
    assertSettledExactlyOnce(rider, booking);
    parties().awaitState(booking.rideId(), "settled");
    node.kill9();

    BigInteger sent = nodeKeyNonce();
    node.start(SETTLE_SOON);
    Thread.sleep(QUIET_MILLIS);
    assertThat(nodeKeyNonce()).as("no transaction sent by the node key after a restart on a settled ride")
        .isEqualTo(sent);
    assertThat(settledLogs(booking.rideId())).isEqualTo(1);
    node.stop();
  }

  @Test
  void killedBetweenBookingAndPickupCarriesOnAfterRestart() throws Exception {
    Credentials rider = coop.rider(1);
    coop.deposit(rider, DEPOSIT);
    node.start(SETTLE_SOON);
    Booking booking = offerAccepted(parties(), rider);
    bookOnChain(rider, booking);
    parties().awaitState(booking.rideId(), "booked");

    node.kill9();
    node.start(SETTLE_SOON);
    RideParties parties = parties();
    assertThat(parties.ride(booking.rideId()).getString("state")).as("the booking survived").isEqualTo("booked");
    parties.cosign(rider, driveToDropoff(parties, booking));
    assertSettledExactlyOnce(rider, booking);
    parties.awaitState(booking.rideId(), "settled");
    node.stop();
  }

  @Test
  void killedWhileTheRiderBooksLearnsTheBookingAfterRestart() throws Exception {
    Credentials rider = coop.rider(2);
    coop.deposit(rider, DEPOSIT);
    node.start(SETTLE_SOON);
    Booking booking = offerAccepted(parties(), rider);

    node.kill9();
    bookOnChain(rider, booking); // no node is running
    node.start(SETTLE_SOON);
    RideParties parties = parties();
    parties.awaitState(booking.rideId(), "booked");
    parties.cosign(rider, driveToDropoff(parties, booking));
    assertSettledExactlyOnce(rider, booking);
    parties.awaitState(booking.rideId(), "settled");
    node.stop();
  }

  @Test
  void killedWhileItsSettlementIsInFlightDoesNotSettleTwice() throws Exception {
    Credentials rider = coop.rider(3);
    coop.deposit(rider, DEPOSIT);
    node.start(SETTLE_SOON);
    RideParties parties = parties();
    Booking booking = offerAccepted(parties, rider);
    bookOnChain(rider, booking);
    parties.awaitState(booking.rideId(), "booked");
    TripReceipt receipt = driveToDropoff(parties, booking);
    BigInteger beforeSend = nodeKeyNonce();

    // The chain stops mining: the node's settleBatch waits in the pool, and the node dies before
    // it learns the outcome. Then the transaction is mined behind its back.
    chain.setAutomine(false);
    try {
      parties.cosign(rider, receipt);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (pendingNodeKeyNonce().equals(beforeSend)) {
        assertThat(System.nanoTime()).as("the node sent its settlement within 30 s").isLessThan(deadline);
        Thread.sleep(50);
      }
      node.kill9();
      chain.mine(1);
    } finally {
      chain.setAutomine(true);
    }
    assertThat(rideStatus(booking.rideId())).as("the dead node's transaction settled the ride").isEqualTo(SETTLED);
    BigInteger sent = nodeKeyNonce();
    assertThat(sent).isEqualTo(beforeSend.add(BigInteger.ONE));

    node.start(SETTLE_SOON);
    Thread.sleep(QUIET_MILLIS);
    assertThat(nodeKeyNonce()).as("the restarted node saw the ride settled and sent nothing").isEqualTo(sent);
    assertSettledExactlyOnce(rider, booking);
    parties().awaitState(booking.rideId(), "settled");
    node.stop();
  }

  // ---------------------------------------------------------------- steps

  /** A ride the node matched, with the offer the driver signed. */
  record Booking(BigInteger rideId, RideParties.Accepted accepted) {}

  RideParties parties() {
    return new RideParties(node.uri(), coop.ledgerDomain);
  }

  /** Driver online, the rider's signed request, the offer pushed to the driver and accepted. */
  Booking offerAccepted(RideParties parties, Credentials rider) throws Exception {
    BlockingQueue<JsonObject> offers = parties.driverStream(driver);
    parties.online(driver, DRIVER_AT);
    BigInteger rideId = parties.request(rider, PICKUP, DROPOFF, MAX_FARE, coop.nextRideNonce(rider), coop.now() + 600);
    assertThat(rideId).isEqualTo(coop.rideIdOfNextBooking(rider));
    RideParties.Accepted accepted = parties.accept(driver, RideParties.next(offers, "offer"));
    return new Booking(rideId, accepted);
  }

  /** The driver arrives, picks the rider up and drops them off; returns the receipt to co-sign. */
  TripReceipt driveToDropoff(RideParties parties, Booking booking) throws Exception {
    parties.arrived(driver, booking.rideId());
    parties.pickup(driver, booking.rideId());
    return parties.dropoff(driver, booking.rideId(), METRES, SECONDS, coop.now());
  }

  /** The rider books the accepted offer on chain with its own key. */
  void bookOnChain(Credentials rider, Booking booking) throws Exception {
    coop.ledger(rider).book(ContractStructs.offer(booking.accepted().offer()),
        ContractStructs.signature(booking.accepted().signature())).send();
    rides.add(booking.rideId());
    assertThat(rideStatus(booking.rideId())).isEqualTo(BOOKED);
  }

  /**
   * Waits for the ride to be {@code Settled} on chain, then checks it was settled once and paid
   * right: one RideSettled log since the deployment, the driver's earnings, the rider's refund,
   * and the money invariant of the ledger and the treasury.
   */
  void assertSettledExactlyOnce(Credentials rider, Booking booking) throws Exception {
    BigInteger rideId = booking.rideId();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (rideStatus(rideId) != SETTLED) {
      assertThat(System.nanoTime()).as("ride " + rideId + " settled on chain within 30 s").isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(settledLogs(rideId)).as("RideSettled logs of ride " + rideId).isEqualTo(1);
    FareParams params = coop.fareParams(booking.accepted().offer().scheduleVersion());
    long fare = Math.min(Fare.of(params, METRES, SECONDS), MAX_FARE);
    long commission = Fare.commission(params, fare);
    assertThat(coop.ledger(driver).driverOf(driver.getAddress()).send().component1())
        .as("the driver earned the fare less the commission").isEqualTo(BigInteger.valueOf(fare - commission));
    assertThat(coop.ledger(rider).walletOf(rider.getAddress()).send().component1())
        .as("the rider paid the fare; the rest of the escrow came back").isEqualTo(BigInteger.valueOf(DEPOSIT - fare));
    List<String> accounts = new ArrayList<>(coop.devAddresses());
    accounts.addAll(nodeKeys);
    coop.assertMoneyInvariant(accounts, rides);
  }

  // ---------------------------------------------------------------- chain reads

  int rideStatus(BigInteger rideId) throws Exception {
    return coop.ledger(coop.deployer).rideOf(rideId).send().component6().intValue();
  }

  /** RideSettled logs of a ride over the whole life of the deployment. */
  int settledLogs(BigInteger rideId) throws Exception {
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(coop.manifest.deploymentBlock())),
        DefaultBlockParameterName.LATEST, coop.manifest.address("RideLedger"));
    filter.addSingleTopic(EventEncoder.encode(RideLedger.RIDESETTLED_EVENT));
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(rideId, 64));
    var logs = chain.web3j().ethGetLogs(filter).send();
    assertThat(logs.hasError()).as("eth_getLogs").isFalse();
    return logs.getLogs().size();
  }

  /** How many transactions the node key has sent and the chain has mined. */
  BigInteger nodeKeyNonce() throws Exception {
    return chain.web3j().ethGetTransactionCount(driver.getAddress(), DefaultBlockParameterName.LATEST).send()
        .getTransactionCount();
  }

  /** How many transactions the node key has sent, mined or waiting in the pool. */
  BigInteger pendingNodeKeyNonce() throws Exception {
    return chain.web3j().ethGetTransactionCount(driver.getAddress(), DefaultBlockParameterName.PENDING).send()
        .getTransactionCount();
  }
}
