/**
 * The {@code ridecoop} command line (picocli): {@link org.ridecoop.node.cli.RideCoopCommand} is the
 * main class of {@code ridecoop.jar}; {@code node start} runs a node, {@code node keygen} creates its
 * key, {@code chain dev} runs a local dev chain with the contracts deployed and driver keys made
 * members, for a node to start against. Exit codes: 0 done, 1 failed, 2 bad usage or configuration.
 */
package org.ridecoop.node.cli;
