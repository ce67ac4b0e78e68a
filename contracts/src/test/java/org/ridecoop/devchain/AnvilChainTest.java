package org.ridecoop.devchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.CoopToken;
import org.ridecoop.test.AnvilExtension;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

@ExtendWith(AnvilExtension.class)
class AnvilChainTest {

  @Test
  void devAccountsAreAnvilsFundedAccounts(AnvilChain chain) throws Exception {
    assertThat(chain.accounts()).hasSize(AnvilChain.ACCOUNTS);
    assertThat(chain.account(0).getAddress()).isEqualToIgnoringCase("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assertThat(chain.account(1).getAddress()).isEqualToIgnoringCase("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    for (Credentials account : chain.accounts()) {
      assertThat(chain.web3j().ethGetBalance(account.getAddress(), DefaultBlockParameterName.LATEST).send().getBalance())
          .as("balance of %s", account.getAddress())
          .isPositive();
    }
  }

  @Test
  void answersWithItsChainIdAndZeroGasPrice(AnvilChain chain) throws Exception {
    assertThat(chain.rpcUrl()).isEqualTo("http://127.0.0.1:" + chain.port());
    assertThat(chain.web3j().ethChainId().send().getChainId()).isEqualTo(AnvilChain.DEFAULT_CHAIN_ID);
    assertThat(chain.web3j().ethGasPrice().send().getGasPrice()).isZero();
    assertThat(chain.access().chainId()).isEqualTo(chain.chainId());
  }

  @Test
  void increaseTimeAndMineMoveTheClock(AnvilChain chain) throws Exception {
    long before = chain.latestTimestamp();
    BigInteger blockBefore = chain.web3j().ethBlockNumber().send().getBlockNumber();

    chain.increaseTime(3_600); // mines one block carrying the new time
    assertThat(chain.latestTimestamp()).isGreaterThanOrEqualTo(before + 3_600);
    chain.mine(3);
    assertThat(chain.web3j().ethBlockNumber().send().getBlockNumber()).isEqualTo(blockBefore.add(BigInteger.valueOf(4)));

    long exact = chain.latestTimestamp() + 86_400;
    chain.setNextTimestamp(exact);
    chain.mine(1);
    assertThat(chain.latestTimestamp()).isEqualTo(exact);
  }

  @Test
  void revertReturnsToTheSnapshotAndConsumesIt(AnvilChain chain) throws Exception {
    BigInteger block = chain.web3j().ethBlockNumber().send().getBlockNumber();
    String id = chain.snapshot();
    chain.mine(5);

    chain.revert(id);

    assertThat(chain.web3j().ethBlockNumber().send().getBlockNumber()).isEqualTo(block);
    assertThatThrownBy(() -> chain.revert(id)).hasMessageContaining("no snapshot " + id);
  }

  @Test
  void restartOnTheSameStateFileKeepsBalancesAndNonces(@TempDir Path dir) throws Exception {
    try (AnvilChain own = AnvilChain.builder().stateFile(dir.resolve("state.json")).start()) {
      ChainAccess access = own.access();
      Credentials deployer = own.account(0);
      Credentials holder = own.account(5);
      CoopToken token = CoopToken.deploy(access.web3j(), access.transactionManager(deployer), access.gasProvider(),
          deployer.getAddress(), deployer.getAddress()).send();
      token.onRamp(holder.getAddress(), BigInteger.valueOf(777), new byte[32]).send();
      int port = own.port();

      own.stop();
      assertThat(own.isRunning()).isFalse();
      own.restart();

      assertThat(own.isRunning()).isTrue();
      assertThat(own.port()).isEqualTo(port);
      assertThat(token.balanceOf(holder.getAddress()).send()).isEqualTo(777);
      // the deployer's manager picks up its nonce from the restored chain
      token.onRamp(holder.getAddress(), BigInteger.valueOf(3), new byte[32]).send();
      assertThat(token.balanceOf(holder.getAddress()).send()).isEqualTo(780);
    }
  }

  @Test
  void aGenesisInThePastLeavesRoomForWarpsThenFollowsTheWallClock() throws Exception {
    long wall = System.currentTimeMillis() / 1000;
    long tenDays = 10 * 86_400;
    try (AnvilChain past = AnvilChain.builder().genesisTimestamp(wall - tenDays).start()) {
      // The clock runs on from the genesis, not from the wall clock.
      past.mine(1);
      assertThat(past.latestTimestamp()).isBetween(wall - tenDays, wall - tenDays + 60);
      past.increaseTime(9 * 86_400);
      long now = System.currentTimeMillis() / 1000;
      assertThat(past.latestTimestamp()).as("a 9-day warp stays behind the wall clock").isLessThan(now);

      past.setNextTimestamp(now);
      past.mine(1);
      Thread.sleep(1_100);
      past.mine(1);
      long later = System.currentTimeMillis() / 1000;
      assertThat(past.latestTimestamp()).as("after catching up, blocks carry wall-clock time")
          .isGreaterThan(now).isBetween(later - 5, later + 5);
    }
  }

  @Test
  void intervalMiningAndAnotherChainId() throws Exception {
    try (AnvilChain own = AnvilChain.builder().chainId(4242).blockTime(Duration.ofMillis(200)).start()) {
      assertThat(own.web3j().ethChainId().send().getChainId()).isEqualTo(4242);
      Credentials deployer = own.account(0);
      // signed for chain 4242 (EIP-155), mined by the timer, receipt found by polling
      CoopToken token = CoopToken.deploy(own.web3j(), own.access().transactionManager(deployer),
          own.access().gasProvider(), deployer.getAddress(), deployer.getAddress()).send();
      assertThat(token.decimals().send()).isEqualTo(6);

      BigInteger block = own.web3j().ethBlockNumber().send().getBlockNumber();
      Thread.sleep(1_000);
      assertThat(own.web3j().ethBlockNumber().send().getBlockNumber()).as("empty blocks on a timer").isGreaterThan(block);
    }
  }

  @Test
  void aProcessThatDiesAtStartIsReportedWithItsOutput() {
    assertThatThrownBy(() -> AnvilChain.builder().binary(Path.of("/bin/false")).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("--hardfork cancun");
  }

  @Test
  void aMissingExplicitBinaryIsNamed() {
    String previous = System.getProperty(AnvilBinary.PROPERTY);
    System.setProperty(AnvilBinary.PROPERTY, "/nowhere/anvil");
    try {
      assertThatThrownBy(AnvilBinary::locate).hasMessageContaining("/nowhere/anvil");
    } finally {
      if (previous == null) System.clearProperty(AnvilBinary.PROPERTY);
      else System.setProperty(AnvilBinary.PROPERTY, previous);
    }
  }
}
