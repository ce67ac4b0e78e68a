package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.contracts.Membership;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.node.NodeComponents;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.config.NodeConfig;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/** {@code ridecoop chain dev} in-process on a real Anvil, and a real node started from what it writes. */
class ChainDevCommandTest {

  static final String PASSWORD = "dev chain s3cret";

  @TempDir
  Path dir;

  Map<String, String> env = new HashMap<>();
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();
  Path key;
  Path passwordFile;
  String address;

  @BeforeEach
  void key() throws Exception {
    var pair = Keys.createEcKeyPair();
    String name = WalletUtils.generateWalletFile(PASSWORD, pair, dir.toFile(), false);
    key = Files.move(dir.resolve(name), dir.resolve("node.key"));
    passwordFile = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    address = Keys.toChecksumAddress(Keys.getAddress(pair));
  }

  int run(String... args) {
    var cl = RideCoopCommand.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** Runs the command on its own thread until the test interrupts it, as Ctrl-C would stop it. */
  final class Running {
    final AtomicInteger exit = new AtomicInteger(-1);
    final Thread thread;

    Running(String... args) throws Exception {
      thread = Thread.ofPlatform().name("chain-dev").start(() -> exit.set(run(args)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!out.toString().contains("running:")) {
        assertThat(thread.isAlive()).as("exited early; err: " + err + " out: " + out).isTrue();
        assertThat(System.nanoTime()).as("not up within 60 s; out: " + out).isLessThan(deadline);
        Thread.sleep(50);
      }
    }

    int stop() throws Exception {
      thread.interrupt();
      thread.join(30_000);
      assertThat(thread.isAlive()).as("still running").isFalse();
      return exit.get();
    }
  }

  @Test
  void startsAChainMakesTheKeyADriverAndANodeStartsFromTheWrittenConfig() throws Exception {
    int rpcPort = NodeFiles.freePort();
    int httpPort = NodeFiles.freePort();
    Path data = dir.resolve("dev-chain");
    String[] args = {"chain", "dev", "--port", Integer.toString(rpcPort), "--data-dir", data.toString(),
        "--driver-key", key.toString(), "--password-file", passwordFile.toString(),
        "--node-http-port", Integer.toString(httpPort)};

    Running chain = new Running(args);
    String rpc = "http://127.0.0.1:" + rpcPort;
    assertThat(out.toString())
        .contains("chain:    Anvil " + rpc + " (chain id 31337)")
        .contains("manifest: " + data.resolve("manifest.json") + " (contracts deployed from block")
        .contains("driver:   " + address + " joined the drivers' college")
        .contains("next:     ./ridecoop node start --config " + data.resolve("node.yaml"))
        .doesNotContain(PASSWORD);
    assertThat(err.toString()).doesNotContain(PASSWORD);

    DeploymentManifest manifest = DeploymentManifest.read(data.resolve("manifest.json"));
    Web3j web3j = Web3j.build(new HttpService(rpc));
    try {
      Membership membership = Membership.load(manifest.address("Membership"), web3j,
          new ReadonlyTransactionManager(web3j, address), new DefaultGasProvider());
      assertThat(membership.statusOf(address).send()).as("Active").isEqualTo(BigInteger.TWO);
      assertThat(membership.collegeOf(address).send()).as("drivers").isEqualTo(BigInteger.ZERO);

      NodeConfig config = NodeConfig.load(data.resolve("node.yaml"), env);
      assertThat(config.chain().pollMillis()).isEqualTo(20);
      NodeRuntime node = NodeRuntime.start(config, env, NodeComponents.forConfig(config))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      try {
        assertThat(ready(httpPort)).isEqualTo(200);
        var registration = eventually(() -> membership.nodeOf(address).send(), r -> r.component5());
        assertThat(registration.component1()).isEqualToIgnoringCase(address);
        assertThat(registration.component2()).isEqualTo("http://127.0.0.1:" + httpPort);
        assertThat(registration.component4()).hasSize(ChainDevCommand.PARIS.size());
      } finally {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      web3j.shutdown();
    }

    assertThat(chain.stop()).isZero();
    assertThat(portFree(rpcPort)).as("Anvil stopped").isTrue();
    assertThat(data.resolve("anvil-state.json")).exists();

    // Started again on the same data directory it continues the same co-op.
    out.getBuffer().setLength(0);
    Running again = new Running(args);
    assertThat(out.toString())
        .contains("(contracts restored from the state file)")
        .contains("driver:   " + address + " already a driver member");
    assertThat(DeploymentManifest.read(data.resolve("manifest.json"))).isEqualTo(manifest);
    assertThat(again.stop()).isZero();
  }

  static int ready(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int status;
    do {
      status = http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status == 200) return status;
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return status;
  }

  interface Read<T> {
    T get() throws Exception;
  }

  static <T> T eventually(Read<T> read, java.util.function.Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    T value = read.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      value = read.get();
    }
    return value;
  }

  static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Nested
  class BadInput {

    void exitsTwoWith(String line, String... args) {
      assertThat(run(args)).isEqualTo(2);
      assertThat(err.toString()).isEqualTo(line + System.lineSeparator());
      assertThat(out.toString()).isEmpty();
    }

    @Test
    void aPortOutOfRange() {
      exitsTwoWith("error: --port: must be 1..65535, got 70000", "chain", "dev", "--port", "70000");
    }

    @Test
    void aTakenPort() throws Exception {
      try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = taken.getLocalPort();
        exitsTwoWith("error: --port: 127.0.0.1:" + port + " is in use (another chain or program); choose another port",
            "chain", "dev", "--port", Integer.toString(port), "--data-dir", dir.resolve("d").toString());
      }
      assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void aMissingKeyFile() {
      Path none = dir.resolve("none.key");
      exitsTwoWith("error: --driver-key: cannot read " + none,
          "chain", "dev", "--driver-key", none.toString(), "--password-file", passwordFile.toString());
    }

    @Test
    void aWrongPassword() throws Exception {
      Path wrong = Files.writeString(dir.resolve("wrong"), "not it\n");
      exitsTwoWith("error: --driver-key: wrong password for " + key,
          "chain", "dev", "--driver-key", key.toString(), "--password-file", wrong.toString());
    }

    @Test
    void aKeyWithoutPassword() {
      exitsTwoWith("error: --driver-key: needs --password-file FILE or --password-env VAR for the key's password",
          "chain", "dev", "--driver-key", key.toString());
    }

    @Test
    void anUnsetPasswordVariable() {
      exitsTwoWith("error: --password-env: environment variable NODE_PW is not set",
          "chain", "dev", "--driver-key", key.toString(), "--password-env", "NODE_PW");
    }

    @Test
    void notAWalletFile() throws Exception {
      Path junk = Files.writeString(dir.resolve("junk.key"), "{}");
      env.put("NODE_PW", PASSWORD);
      exitsTwoWith("error: --driver-key: not a web3j wallet file: " + junk,
          "chain", "dev", "--driver-key", junk.toString(), "--password-env", "NODE_PW");
      assertThat(err.toString()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void chainWithoutSubcommandIsAUsageError() {
    assertThat(run("chain")).isEqualTo(2);
    assertThat(err.toString()).startsWith("Missing required subcommand: dev").contains("Usage: ridecoop chain");
  }

  @Test
  void helpSaysTheStateIsKept() {
    assertThat(run("chain", "dev", "--help")).isZero();
    assertThat(out.toString()).contains("--driver-key=FILE").contains("DIR/anvil-state.json").contains("The chain state is kept");
    assertThat(List.of(out.toString().split("\n"))).noneMatch(l -> l.contains("--password="));
  }
}
