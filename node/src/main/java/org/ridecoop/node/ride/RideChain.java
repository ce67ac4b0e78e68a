package org.ridecoop.node.ride;

import io.vertx.core.Future;
import java.math.BigInteger;
import org.ridecoop.fare.FareParams;
import org.ridecoop.node.chain.ChainGateway;
import org.ridecoop.protocol.ContractStructs;
import org.ridecoop.protocol.Eip712Domain;

/**
 * The few ledger and fare-schedule views the ride desk needs, read through the node's
 * {@link ChainGateway} (its worker pool: the event loop never waits for an RPC). The ride events
 * themselves come from the node's event indexer ({@link org.ridecoop.node.chain.LedgerEvents}),
 * never from here: the node has one event source, with a stored cursor.
 *
 * <p>Two views are asked for on every offer and every driver going online, and change only by a
 * vote: the current fare version and whether a driver is active. They are kept here after the
 * first read and dropped by the desk when the indexer reports the event that changes them
 * ({@code FareSchedulePublished}; a member joining, leaving, suspended, excluded or reinstated),
 * so a busy node does not ask the chain twice a ride for a value that changes a few times a year.
 * Until the event is indexed (one poll) a cached value may be stale; that window is no wider than
 * the one between an offer and its booking, where the ledger refuses a stale version
 * ({@code WrongScheduleVersion}) and an inactive driver anyway.
 */
public final class RideChain {

  private final ChainGateway gateway;
  private final Eip712Domain domain;
  private volatile Kept<Integer> scheduleVersion;
  private final java.util.concurrent.ConcurrentHashMap<String, Kept<Boolean>> activeDrivers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The longest a kept view is used. The events keep it right; this bounds what a read racing
   * with the event that changes its value could leave behind.
   */
  static final long KEPT_MILLIS = 30_000;

  private record Kept<T>(Future<T> value, long readAt) {
    boolean fresh() {
      return System.currentTimeMillis() - readAt < KEPT_MILLIS;
    }
  }

  /** @param gateway the node's chain gateway */
  public RideChain(ChainGateway gateway) {
    this.gateway = gateway;
    this.domain = Eip712Domain.rideLedger(gateway.chainId(), gateway.manifest().address("RideLedger"));
  }

  /** The RideLedger's EIP-712 domain (chain id and address): offers and receipts are signed in it. */
  public Eip712Domain ledgerDomain() {
    return domain;
  }

  /** The fare-schedule version new bookings lock. */
  public Future<Integer> currentScheduleVersion() {
    Kept<Integer> kept = scheduleVersion;
    if (kept != null && kept.fresh()) {
      return kept.value();
    }
    Kept<Integer> read = new Kept<>(
        gateway.view(() -> gateway.ledger().currentScheduleVersion().send().intValueExact()), System.currentTimeMillis());
    scheduleVersion = read;
    // A failed read is not kept: the next offer asks again.
    read.value().onFailure(e -> {
      if (scheduleVersion == read) {
        scheduleVersion = null;
      }
    });
    return read.value();
  }

  /** Drops the kept fare version (a new one was published). */
  public void forgetScheduleVersion() {
    scheduleVersion = null;
  }

  /** The parameters of a fare-schedule version. */
  public Future<FareParams> fareParams(int version) {
    return gateway.view(() -> ContractStructs.fareParams(
        gateway.fareSchedule().params(BigInteger.valueOf(version)).send()));
  }

  /** The timestamp (Unix seconds) of the chain's latest block: the clock the ledger checks expiries on. */
  public Future<Long> latestBlockTime() {
    return gateway.view(() -> gateway.access().web3j()
        .ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false).send()
        .getBlock().getTimestamp().longValueExact());
  }

  /** The rider's next ride nonce on the ledger. */
  public Future<Long> nextRideNonce(String rider) {
    return gateway.view(() -> gateway.ledger().walletOf(rider).send().component2().longValueExact());
  }

  /** Whether the address is an active driver on the ledger (a member of the drivers' college). */
  public Future<Boolean> isActiveDriver(String driver) {
    String key = driver.toLowerCase(java.util.Locale.ROOT);
    Kept<Boolean> kept = activeDrivers.get(key);
    if (kept != null && kept.fresh()) {
      return kept.value();
    }
    Kept<Boolean> read = new Kept<>(gateway.view(() -> gateway.ledger().driverOf(driver).send().component3()),
        System.currentTimeMillis());
    activeDrivers.put(key, read);
    read.value().onFailure(e -> activeDrivers.remove(key, read));
    return read.value();
  }

  /** Drops what is kept of {@code account}'s driver status (its membership changed). */
  public void forgetDriver(String account) {
    activeDrivers.remove(account.toLowerCase(java.util.Locale.ROOT));
  }

  /** The driver's unwithdrawn earnings, token base units. */
  public Future<BigInteger> earnings(String driver) {
    return gateway.view(() -> gateway.ledger().driverOf(driver).send().component1());
  }
}
