/**
 * A local Anvil dev chain for tests, the deployer and {@code ridecoop demo}:
 * {@link org.ridecoop.devchain.AnvilChain} runs Anvil from the npm toolchain as a child process
 * (zero gas price, cancun, the default mnemonic's 20 accounts) and exposes snapshots, time travel
 * and stop/restart on the same state file.
 */
package org.ridecoop.devchain;
