package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.besu.BesuNetwork;
import org.ridecoop.node.permissions.BesuPermissioningStandIn;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;

/** {@code ridecoop permissions sync --once} against Membership on Anvil and a stand-in Besu. */
@ExtendWith(AnvilExtension.class)
class PermissionsSyncCommandTest {

  static final String VALIDATOR = "0x00000000000000000000000000000000000000a1";
  static final String VALIDATOR_ENODE = "enode://" + "a".repeat(128) + "@172.28.0.11:30303";

  @TempDir
  Path dir;

  CoopFixture f;
  BesuPermissioningStandIn besu;
  Path manifest;
  Path network;
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  @BeforeEach
  void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    f = CoopFixture.deploy(chain, access);
    manifest = dir.resolve("manifest.json");
    f.manifest.write(manifest);
    network = dir.resolve("network.json");
    new BesuNetwork(chain.chainId(), List.of(new BesuNetwork.Node("validator1", VALIDATOR, VALIDATOR_ENODE)),
        List.of(f.deployer.getAddress())).write(network);
    besu = new BesuPermissioningStandIn(List.of(), List.of());
  }

  @AfterEach
  void stop() {
    besu.close();
  }

  int run(String... args) {
    var cl = RideCoopCommand.commandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  int sync(String besuUrl) {
    return run("permissions", "sync", "--rpc", f.chain.rpcUrl(), "--besu-rpc", besuUrl, "--manifest", manifest.toString(),
        "--network", network.toString(), "--once");
  }

  @Test
  void syncsOnceThenFindsNothingToDo() throws Exception {
    f.join(f.driver(0), 0);

    assertThat(sync(besu.url())).as(err.toString()).isZero();
    assertThat(besu.accounts()).containsExactlyInAnyOrder(VALIDATOR, f.deployer.getAddress().toLowerCase(Locale.ROOT),
        f.driver(0).getAddress().toLowerCase(Locale.ROOT));
    assertThat(besu.enodes()).containsExactly(VALIDATOR_ENODE);
    assertThat(out.toString()).contains(besu.url() + ": +4 -0");

    assertThat(sync(besu.url())).isZero();
    assertThat(out.toString()).contains(besu.url() + ": +0 -0 (already in sync)");
  }

  @Test
  void runningItFollowsAJoinWithinARoundAndStopsWhenInterrupted() throws Exception {
    java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger(-1);
    Thread running = Thread.ofPlatform().name("permissions-sync").start(() -> exit.set(run("permissions", "sync",
        "--rpc", f.chain.rpcUrl(), "--besu-rpc", besu.url(), "--manifest", manifest.toString(),
        "--network", network.toString(), "--interval", "1")));
    try {
      waitFor(() -> besu.accounts().contains(VALIDATOR));
      String driver = f.driver(2).getAddress().toLowerCase(Locale.ROOT);
      assertThat(besu.accounts()).doesNotContain(driver);

      f.join(f.driver(2), 0);

      waitFor(() -> besu.accounts().contains(driver));
    } finally {
      running.interrupt();
      running.join(10_000);
    }
    assertThat(running.isAlive()).isFalse();
    assertThat(exit.get()).as(err.toString()).isZero();
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("not within 20 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void anUnreachableBesuIsAFailureWithExitCodeOne() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    assertThat(sync("http://127.0.0.1:" + closedPort + "/")).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: sync failed: ");
  }

  @Test
  void badUsageIsRefusedWithExitCodeTwo() throws Exception {
    assertThat(run("permissions", "sync", "--rpc", f.chain.rpcUrl(), "--besu-rpc", besu.url(),
        "--manifest", dir.resolve("missing.json").toString(), "--network", network.toString(), "--once")).isEqualTo(2);
    assertThat(err.toString()).contains("--manifest: cannot read");

    assertThat(run("permissions", "sync", "--rpc", "localhost:8545", "--besu-rpc", besu.url(),
        "--manifest", manifest.toString(), "--network", network.toString(), "--once")).isEqualTo(2);
    assertThat(err.toString()).contains("--rpc: not an http(s) URL: localhost:8545");

    Path other = dir.resolve("other.json");
    new BesuNetwork(4242, List.of(new BesuNetwork.Node("validator1", VALIDATOR, VALIDATOR_ENODE)), List.of()).write(other);
    assertThat(run("permissions", "sync", "--rpc", f.chain.rpcUrl(), "--besu-rpc", besu.url(),
        "--manifest", manifest.toString(), "--network", other.toString(), "--once")).isEqualTo(2);
    assertThat(err.toString()).contains("--network: chain id 4242 but the manifest's is " + f.chain.chainId());

    Files.writeString(other, "{}");
    assertThat(run("permissions", "sync", "--rpc", f.chain.rpcUrl(), "--besu-rpc", besu.url(),
        "--manifest", manifest.toString(), "--network", other.toString(), "--once")).isEqualTo(2);
    assertThat(err.toString()).contains("--network: not a network.json");
    assertThat(besu.changes()).as("nothing sent to Besu").isZero();
  }
}
