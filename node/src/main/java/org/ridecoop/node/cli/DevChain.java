package org.ridecoop.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ridecoop.contracts.Membership;
import org.ridecoop.deploy.Deployer;
import org.ridecoop.deploy.DeploymentConfig;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.devchain.DevAccounts;
import org.ridecoop.governance.College;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * A development co-op on a local Anvil: the chain (kept in a state file), the whole contract set
 * deployed once, and driver members joined with their own keys. Used by {@code ridecoop chain dev}.
 *
 * <p>The deployer, the token on-ramp and the dispute committee are Anvil's public dev accounts 0,
 * 1 and 2: fine for a dev chain, never for real value.
 */
final class DevChain implements AutoCloseable {

  /** Anvil's state file inside the data directory. */
  static final String STATE_FILE = "anvil-state.json";
  /** The deployment manifest inside the data directory. */
  static final String MANIFEST_FILE = "manifest.json";
  /** Membership status {@code Active} (the contract's enum). */
  private static final int ACTIVE = 2;

  private final AnvilChain chain;
  private final DeploymentManifest manifest;
  private final boolean deployedNow;
  private final Credentials onRamp;

  private DevChain(AnvilChain chain, DeploymentManifest manifest, boolean deployedNow, Credentials onRamp) {
    this.chain = chain;
    this.manifest = manifest;
    this.deployedNow = deployedNow;
    this.onRamp = onRamp;
  }

  /**
   * Starts Anvil on {@code 127.0.0.1:port} with its state in {@code dataDir}, and deploys the
   * contracts unless the manifest there names contracts the restored chain already holds.
   */
  static DevChain start(int port, Path dataDir) throws Exception {
    Files.createDirectories(dataDir);
    AnvilChain chain = AnvilChain.builder().port(port).stateFile(dataDir.resolve(STATE_FILE)).start();
    try {
      List<Credentials> dev = DevAccounts.derive(DevAccounts.DEFAULT_MNEMONIC, 3);
      Credentials deployer = dev.get(0), onRamp = dev.get(1), committee = dev.get(2);
      Path file = dataDir.resolve(MANIFEST_FILE);
      DeploymentManifest existing = deployedOn(chain, file);
      if (existing != null) {
        return new DevChain(chain, existing, false, onRamp);
      }
      DeploymentConfig config = DeploymentConfig.devDefaults(onRamp.getAddress(), committee.getAddress());
      DeploymentManifest manifest = new Deployer(chain.web3j(), chain.access().transactionManager(deployer),
          chain.access().gasProvider()).deploy(config);
      manifest.write(file);
      return new DevChain(chain, manifest, true, onRamp);
    } catch (Exception | Error e) {
      chain.close();
      throw e;
    }
  }

  // A restarted chain (state file) still holds the contracts of the manifest written last time:
  // deploying again would leave nodes of the old manifest on a co-op nobody else uses.
  private static DeploymentManifest deployedOn(AnvilChain chain, Path file) throws Exception {
    if (!Files.exists(file)) {
      return null;
    }
    DeploymentManifest m;
    try {
      m = DeploymentManifest.read(file);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (m.chainId() != chain.chainId() || !m.contracts().containsKey("Membership")) {
      return null;
    }
    String code = chain.web3j().ethGetCode(m.address("Membership"), DefaultBlockParameterName.LATEST).send().getCode();
    return code == null || code.equals("0x") ? null : m;
  }

  /**
   * Makes {@code driver} an active member of the drivers' college with its own key: registers it,
   * buys its share through the on-ramp, approves and joins. Nothing is sent if it already is one.
   *
   * @return whether it joined now (false: it already was a driver member)
   */
  boolean joinAsDriver(Credentials driver) throws Exception {
    return DriverEnrolment.join(chain.access(), manifest, onRamp, driver);
  }

  /** Whether {@code address} is an active member of the drivers' college now. */
  boolean isActiveDriver(String address) throws Exception {
    Membership m = membership(onRamp);
    return m.statusOf(address).send().intValueExact() == ACTIVE
        && m.collegeOf(address).send().intValueExact() == College.DRIVERS.id();
  }

  private Membership membership(Credentials as) {
    return Membership.load(manifest.address("Membership"), chain.web3j(), chain.access().transactionManager(as),
        chain.access().gasProvider());
  }

  AnvilChain chain() {
    return chain;
  }

  DeploymentManifest manifest() {
    return manifest;
  }

  /** Whether the contracts were deployed by this start (false: restored from the state file). */
  boolean deployedNow() {
    return deployedNow;
  }

  /** Stops Anvil gracefully, so it writes its state file. */
  @Override
  public void close() {
    chain.close();
  }
}
