/**
 * Talking to the chain: {@link org.ridecoop.chain.ChainAccess} hands out one transaction manager
 * per key that preflights each transaction with eth_call and keeps the nonce locally, and every
 * revert (preflight, view call, or mined with status 0) surfaces as a
 * {@link org.ridecoop.chain.ContractRevertException} whose {@link org.ridecoop.chain.ContractError}
 * names the Solidity custom error and its arguments ({@link org.ridecoop.chain.RevertDecoder}).
 */
package org.ridecoop.chain;
