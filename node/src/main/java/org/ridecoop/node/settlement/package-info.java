/**
 * Settlement of co-signed trip receipts: {@link org.ridecoop.node.settlement.SettlementQueue}
 * takes them durably; {@link org.ridecoop.node.settlement.SettlementComponent} sends them in
 * batches through the chain gateway, checks the chain before any resend, and confirms each ride
 * from its {@code RideSettled} event.
 */
package org.ridecoop.node.settlement;
