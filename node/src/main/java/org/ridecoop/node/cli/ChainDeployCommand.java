package org.ridecoop.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.deploy.Deployer;
import org.ridecoop.deploy.DeploymentConfig;
import org.ridecoop.deploy.DeploymentManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ridecoop chain deploy}: deploys the contract set on a running chain (a Besu network) with
 * the key of a web3j wallet file and writes the manifest. Waits for the chain to produce blocks
 * first; does nothing if the manifest already names contracts that are on that chain, so a
 * restarted deployer job never deploys a second co-op.
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {"Deploy the ridecoop contracts on a running chain and write the manifest.",
        "Waits up to --wait seconds for the chain to produce blocks. Skips the deployment",
        "when --out already names contracts present on that chain."})
final class ChainDeployCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ChainDeployCommand.class);

  @ParentCommand
  ChainCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--rpc", required = true, paramLabel = "URL", description = "The chain's JSON-RPC URL.")
  String rpc;

  @Option(names = "--key-file", required = true, paramLabel = "FILE", description = "The deployer's web3j wallet file.")
  Path keyFile;

  @ArgGroup(exclusive = true, multiplicity = "1")
  PasswordSource password;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the manifest.")
  Path out;

  @Option(names = "--on-ramp", paramLabel = "ADDRESS", description = "Who may mint tokens against euros received (default: the deployer).")
  String onRamp;

  @Option(names = "--dispute-committee", paramLabel = "ADDRESS", description = "The first dispute committee (default: the deployer).")
  String committee;

  @Option(names = "--driver-key", paramLabel = "FILE",
      description = {"A node key (web3j wallet file, same password) to make a driver member after the deployment,",
          "its share minted by the deployer as on-ramp; repeatable. On a permissioned Besu each key must be",
          "allowed first (an applicant of `permissions sync`): refused sends are retried until --wait ends."})
  List<Path> driverKeys = new ArrayList<>();

  @Option(names = "--wait", defaultValue = "180", paramLabel = "SECONDS",
      description = "How long to wait for the chain to produce blocks (default ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Override
  public Integer call() throws Exception {
    for (String[] a : new String[][] {{"--on-ramp", onRamp}, {"--dispute-committee", committee}}) {
      if (a[1] != null && !WalletUtils.isValidAddress(a[1])) {
        throw CommandFailure.usage(a[0] + ": not an address: " + a[1]);
      }
    }
    if (!driverKeys.isEmpty() && onRamp != null) {
      throw CommandFailure.usage("--driver-key: the deployer mints the drivers' shares, so it must be the on-ramp; drop --on-ramp");
    }
    String pw = password.read(parent.root.environment());
    Credentials deployer = WalletKeyOption.load("--key-file", keyFile, pw);
    List<Credentials> drivers = new ArrayList<>();
    for (Path k : driverKeys) {
      drivers.add(WalletKeyOption.load("--driver-key", k, pw));
    }
    Web3j web3j = Web3j.build(new HttpService(rpc));
    try {
      long chainId = waitForBlocks(web3j);
      PrintWriter o = spec.commandLine().getOut();
      ChainAccess access = new ChainAccess(web3j, chainId);
      DeploymentManifest existing = deployedOn(web3j, chainId);
      if (existing != null) {
        o.println("manifest: " + out + " (contracts already deployed on chain " + chainId + "; nothing sent)");
        enrol(access, existing, deployer, drivers, o);
        return 0;
      }
      DeploymentConfig config = DeploymentConfig.devDefaults(onRamp == null ? deployer.getAddress() : onRamp,
          committee == null ? deployer.getAddress() : committee);
      DeploymentManifest manifest = new Deployer(web3j, access.transactionManager(deployer), access.gasProvider()).deploy(config);
      Path parentDir = out.toAbsolutePath().getParent();
      if (parentDir != null) {
        Files.createDirectories(parentDir);
      }
      // written beside and moved, so a reader never sees half a manifest
      Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
      manifest.write(tmp);
      Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      o.println("manifest: " + out + " (chain " + chainId + ", Membership " + manifest.address("Membership")
          + ", from block " + manifest.deploymentBlock() + ")");
      o.flush();
      enrol(access, manifest, deployer, drivers, o);
      return 0;
    } finally {
      web3j.shutdown();
    }
  }

  // A permissioned Besu refuses a key until the permissions sync has allowed it: retry until --wait.
  private void enrol(ChainAccess access, DeploymentManifest manifest, Credentials deployer, List<Credentials> drivers,
      PrintWriter o) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
    for (Credentials driver : drivers) {
      while (true) {
        try {
          boolean joined = DriverEnrolment.join(access, manifest, deployer, driver);
          o.println("driver:   " + driver.getAddress() + (joined ? " joined the drivers' college" : " already a driver member"));
          o.flush();
          break;
        } catch (Exception e) {
          if (!notAuthorized(e) || System.nanoTime() > deadline) {
            throw e;
          }
          access.resetNonces();
          LOG.info("driver key not allowed by Besu yet, retrying driver={}", driver.getAddress());
          Thread.sleep(2_000);
        }
      }
    }
  }

  private static boolean notAuthorized(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("not authorized")) {
        return true;
      }
    }
    return false;
  }

  // A Besu network answers RPC before consensus starts: wait for block 1, not just an answer.
  private long waitForBlocks(Web3j web3j) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
    String last = "no answer";
    while (true) {
      try {
        long block = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        if (block >= 1) {
          return web3j.ethChainId().send().getChainId().longValueExact();
        }
        last = "at block 0";
      } catch (IOException | RuntimeException e) {
        last = String.valueOf(e.getMessage());
      }
      if (System.nanoTime() > deadline) {
        throw new CommandFailure(RideCoopCommand.FAILURE, "chain at " + rpc + " produced no block within "
            + waitSeconds + " s (" + last + ")");
      }
      LOG.info("waiting for the chain to produce blocks rpc={} state={}", rpc, last);
      Thread.sleep(2_000);
    }
  }

  private DeploymentManifest deployedOn(Web3j web3j, long chainId) throws IOException {
    if (!Files.exists(out)) {
      return null;
    }
    DeploymentManifest m;
    try {
      m = DeploymentManifest.read(out);
    } catch (IOException | RuntimeException e) {
      throw CommandFailure.usage("--out: " + out + " exists and is not a manifest; refusing to overwrite it");
    }
    if (m.chainId() != chainId || !m.contracts().containsKey("Membership")) {
      throw CommandFailure.usage("--out: " + out + " is the manifest of another chain (id " + m.chainId() + ")");
    }
    String code = web3j.ethGetCode(m.address("Membership"), DefaultBlockParameterName.LATEST).send().getCode();
    if (code == null || code.equals("0x")) {
      throw CommandFailure.usage("--out: " + out + " names contracts this chain does not hold (a reset chain?); remove it to deploy again");
    }
    return m;
  }
}
