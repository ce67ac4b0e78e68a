package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.contracts.Membership;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.governance.College;
import org.ridecoop.governance.MemberStatus;
import org.ridecoop.test.AnvilExtension;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.DefaultBlockParameterName;

/** {@code ridecoop chain deploy} on a real Anvil: deploys once, never twice, refuses bad keys. */
@ExtendWith(AnvilExtension.class)
class ChainDeployCommandTest {

  static final String PASSWORD = "deployer s3cret";

  @TempDir
  Path dir;

  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  int run(String... args) {
    var cl = RideCoopCommand.commandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  Path wallet(AnvilChain chain) throws Exception {
    // a funded dev account that has sent nothing in this test class's snapshot
    String name = WalletUtils.generateWalletFile(PASSWORD, chain.account(19).getEcKeyPair(), dir.toFile(), false);
    return dir.resolve(name);
  }

  @Test
  void deploysTheContractsAndWritesTheManifestOnce(AnvilChain chain) throws Exception {
    chain.mine(1);
    Path key = wallet(chain);
    Path pw = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    Path manifest = dir.resolve("out/manifest.json");
    String[] args = {"chain", "deploy", "--rpc", chain.rpcUrl(), "--key-file", key.toString(), "--password-file",
        pw.toString(), "--out", manifest.toString()};

    assertThat(run(args)).as(err.toString()).isZero();
    DeploymentManifest m = DeploymentManifest.read(manifest);
    assertThat(m.chainId()).isEqualTo(chain.chainId());
    assertThat(m.deployer()).isEqualToIgnoringCase(chain.account(19).getAddress());
    assertThat(chain.web3j().ethGetCode(m.address("Membership"), DefaultBlockParameterName.LATEST).send().getCode())
        .isNotEqualTo("0x");

    long nonce = chain.web3j().ethGetTransactionCount(m.deployer(), DefaultBlockParameterName.LATEST).send()
        .getTransactionCount().longValueExact();
    assertThat(run(args)).isZero();
    assertThat(out.toString()).contains("contracts already deployed");
    assertThat(chain.web3j().ethGetTransactionCount(m.deployer(), DefaultBlockParameterName.LATEST).send()
        .getTransactionCount().longValueExact()).as("a second run sends nothing").isEqualTo(nonce);
  }

  @Test
  void makesEachDriverKeyADriverMemberOnceAfterTheDeployment(AnvilChain chain) throws Exception {
    chain.mine(1);
    Path key = wallet(chain);
    Path driverKey = dir.resolve(WalletUtils.generateWalletFile(PASSWORD, chain.account(18).getEcKeyPair(),
        dir.toFile(), false));
    Path pw = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    Path manifest = dir.resolve("manifest.json");
    String[] args = {"chain", "deploy", "--rpc", chain.rpcUrl(), "--key-file", key.toString(), "--password-file",
        pw.toString(), "--out", manifest.toString(), "--driver-key", driverKey.toString()};

    assertThat(run(args)).as(err.toString()).isZero();
    String driver = chain.account(18).getAddress();
    assertThat(out.toString()).contains("driver:   " + driver + " joined the drivers' college");
    Membership m = Membership.load(DeploymentManifest.read(manifest).address("Membership"), chain.web3j(),
        chain.access().readOnly(), chain.access().gasProvider());
    assertThat(MemberStatus.ofId(m.statusOf(driver).send().longValueExact())).isEqualTo(MemberStatus.ACTIVE);
    assertThat(m.collegeOf(driver).send().intValueExact()).isEqualTo(College.DRIVERS.id());

    assertThat(run(args)).isZero();
    assertThat(out.toString()).contains("driver:   " + driver + " already a driver member");
  }

  @Test
  void aWrongPasswordIsBadUsage(AnvilChain chain) throws Exception {
    Path key = wallet(chain);
    Path pw = Files.writeString(dir.resolve("pw"), "not it\n");
    assertThat(run("chain", "deploy", "--rpc", chain.rpcUrl(), "--key-file", key.toString(), "--password-file",
        pw.toString(), "--out", dir.resolve("m.json").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--key-file: wrong password for");
    assertThat(dir.resolve("m.json")).doesNotExist();
  }
}
