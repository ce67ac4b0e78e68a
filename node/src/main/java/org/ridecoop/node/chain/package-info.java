/**
 * The node's connection to the chain: {@link org.ridecoop.node.chain.ChainGateway} sends
 * transactions with the node key and reads contract state off the event loop;
 * {@link org.ridecoop.node.chain.LedgerEvents} delivers the contracts' events exactly once, from a
 * cursor stored in the node's database; {@link org.ridecoop.node.chain.ChainComponent} connects,
 * registers the node in the Membership registry and starts the indexer.
 */
package org.ridecoop.node.chain;
