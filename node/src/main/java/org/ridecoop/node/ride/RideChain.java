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
 */
public final class RideChain {

  private final ChainGateway gateway;
  private final Eip712Domain domain;

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
    return gateway.view(() -> gateway.ledger().currentScheduleVersion().send().intValueExact());
  }

  /** The parameters of a fare-schedule version. */
  public Future<FareParams> fareParams(int version) {
    return gateway.view(() -> ContractStructs.fareParams(
        gateway.fareSchedule().params(BigInteger.valueOf(version)).send()));
  }

  /** The rider's next ride nonce on the ledger. */
  public Future<Long> nextRideNonce(String rider) {
    return gateway.view(() -> gateway.ledger().walletOf(rider).send().component2().longValueExact());
  }

  /** Whether the address is an active driver on the ledger (a member of the drivers' college). */
  public Future<Boolean> isActiveDriver(String driver) {
    return gateway.view(() -> gateway.ledger().driverOf(driver).send().component3());
  }

  /** The driver's unwithdrawn earnings, token base units. */
  public Future<BigInteger> earnings(String driver) {
    return gateway.view(() -> gateway.ledger().driverOf(driver).send().component1());
  }
}
