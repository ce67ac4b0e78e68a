package org.ridecoop.sdk;

import java.net.URI;
import org.ridecoop.protocol.TripReceipt;

/**
 * A trip receipt waiting for the rider's co-signature, with what it costs: token base units.
 *
 * @param receipt the receipt the driver's node drafted
 * @param fare the fare it makes by the ride's fare-schedule version (the chain's rule)
 * @param escrow what booking locked for the ride
 * @param node the node that shows it
 */
public record PendingReceipt(TripReceipt receipt, long fare, long escrow, URI node) {

  /** Whether the fare is within the escrow (else the ledger would not settle it as signed). */
  public boolean withinEscrow() {
    return fare <= escrow;
  }

  /** What comes back to the rider's wallet on settlement. */
  public long refund() {
    return Math.max(0, escrow - fare);
  }
}
