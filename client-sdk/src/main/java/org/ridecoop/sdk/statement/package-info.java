/**
 * Earnings and activity statements: for one member and one period, every money line the chain
 * holds (fares earned and paid, withdrawals, dividends, solidarity payments, share capital), sealed
 * with an EIP-712 signature, and verified again by anyone with an RPC URL. Start with
 * {@link org.ridecoop.sdk.statement.Statements}.
 */
package org.ridecoop.sdk.statement;
