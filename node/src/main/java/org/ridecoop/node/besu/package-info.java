/**
 * The production chain: a Hyperledger Besu QBFT network. Validator keys, the QBFT genesis (its
 * {@code extraData} validator list, free gas, forks through Cancun) and the files each validator
 * and the permissions sync start from.
 */
package org.ridecoop.node.besu;
