/**
 * How a node is configured: {@link org.ridecoop.node.config.NodeConfig} read from YAML and
 * environment variables and validated in full before anything starts, and the node's signing key
 * ({@link org.ridecoop.node.config.NodeKey}) decrypted from a web3j wallet file whose password
 * comes from a file or an environment variable, never from the config or the command line.
 */
package org.ridecoop.node.config;
