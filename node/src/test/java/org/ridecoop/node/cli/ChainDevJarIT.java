package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.node.NodeFiles;

/**
 * The README's three steps with the shaded jar as real processes, in a fresh directory:
 * {@code node keygen}, {@code chain dev --driver-key}, {@code node start --config dev-chain/node.yaml}.
 */
class ChainDevJarIT {

  @TempDir
  Path dir;

  Process start(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    String repo = System.getProperty("ridecoop.repo");
    if (repo != null) {
      cmd.add("-Dridecoop.repo=" + repo); // as ./ridecoop passes it: where Anvil is found
    }
    cmd.addAll(List.of("-jar", RideCoopJarIT.jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("RIDECOOP_"));
    return pb.start();
  }

  String out(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".out"));
  }

  String err(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".err"));
  }

  @Test
  void keygenThenChainDevThenNodeStart() throws Exception {
    Files.writeString(dir.resolve("pw"), "readme-steps\n");
    Process keygen = start("keygen", "node", "keygen", "--out", "node.key", "--password-file", "pw", "--kdf", "light");
    assertThat(keygen.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keygen.exitValue()).as(err("keygen")).isZero();
    String address = out("keygen").strip();

    int rpcPort = NodeFiles.freePort();
    int httpPort = NodeFiles.freePort();
    Process chain = start("chain", "chain", "dev", "--port", Integer.toString(rpcPort), "--driver-key", "node.key",
        "--password-file", "pw", "--node-http-port", Integer.toString(httpPort));
    Process node = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!out("chain").contains("running:")) {
        assertThat(chain.isAlive()).as(err("chain")).isTrue();
        assertThat(System.nanoTime()).as("chain not up: " + out("chain")).isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(out("chain")).contains("driver:   " + address + " joined the drivers' college")
          .contains("next:     ./ridecoop node start --config dev-chain/node.yaml");

      node = start("node", "node", "start", "--config", "dev-chain/node.yaml");
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
          .timeout(Duration.ofSeconds(5)).build();
      int status = 0;
      while (System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(30) && node.isAlive() && status != 200) {
        try {
          status = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
          Thread.sleep(200);
        }
      }
      assertThat(status).as(err("node")).isEqualTo(200);
      assertThat(err("node")).contains("node registration registered address=" + address);

      node.destroy(); // SIGTERM
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
      chain.destroy();
      assertThat(chain.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(chain.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the hook stopped Anvil
    } finally {
      if (node != null) node.destroyForcibly();
      chain.destroyForcibly();
    }
    assertThat(dir.resolve("dev-chain/anvil-state.json")).exists();
    assertThat(dir.resolve("dev-chain/node-data/node.db")).exists();
    for (String name : List.of("keygen", "chain", "node")) {
      assertThat(out(name) + err(name)).doesNotContain("readme-steps");
    }
  }
}
