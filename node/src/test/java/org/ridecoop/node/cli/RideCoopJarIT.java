package org.ridecoop.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/**
 * The shaded {@code ridecoop.jar} run as a real process ({@code java -jar}), after {@code package}:
 * exit codes, what reaches standard output and error, and a graceful stop on SIGTERM.
 */
class RideCoopJarIT {

  @TempDir
  Path dir;

  record Run(int exitCode, String out, String err) {}

  static Path jar() {
    Path jar = Path.of(System.getProperty("ridecoop.jar", "target/ridecoop.jar"));
    assertThat(jar).as("the shaded launcher jar").exists();
    return jar;
  }

  static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  Process start(Map<String, String> env, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(args)).directory(dir.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("RIDECOOP_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  Run run(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
  }

  @Test
  void aBadConfigExitsTwoWithOneLineOnStandardError() throws Exception {
    NodeFiles files = NodeFiles.create(dir);
    Path bad = files.config(files.yaml(70000));

    Run r = run(Map.of(), "node", "start", "--config", bad.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("config error: http.port: must be 1..65535, got 70000\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void keygenThenStartThenStopOnSigterm() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "jar-test\n");
    Run keygen = run(Map.of(), "node", "keygen", "--out", "node-key.json", "--password-file", pw.toString(),
        "--kdf", "light");
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    String address = keygen.out().strip();
    assertThat(keygen.out()).matches("0x[0-9a-fA-F]{40}\n");

    // The node joins a real deployment: the new key becomes a driver member, the node registers it.
    AnvilChain chain = AnvilChain.start();
    CoopFixture coop = CoopFixture.deploy(chain, chain.access());
    Credentials key = WalletUtils.loadCredentials("jar-test", dir.resolve("node-key.json").toFile());
    coop.join(key, 0);
    coop.manifest.write(dir.resolve("deployment.json"));

    NodeFiles files = NodeFiles.create(Files.createDirectories(dir.resolve("fixture")));
    int port = NodeFiles.freePort();
    Path config = Files.writeString(dir.resolve("node.yaml"), files.yaml(port)
        .replace("passwordFile: node-key.password", "passwordEnv: NODE_PW")
        .replace("http://127.0.0.1:8545", chain.rpcUrl()));

    Process node = start(Map.of("NODE_PW", "jar-test"), "node", "start", "--config", config.toString());
    try (chain) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ready = null;
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline && node.isAlive()) {
        try {
          ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
          break;
        } catch (IOException notYet) {
          Thread.sleep(200);
        }
      }
      assertThat(ready).as(Files.readString(dir.resolve("err.txt"))).isNotNull();
      assertThat(ready.statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("ridecoop_matches_total").contains("vertx_http_server_requests_total");
      // The started node serves the rider API: a quote from the fare schedule on chain.
      HttpResponse<String> quote = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/quotes"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"pickup\":{\"lat\":48.8566,\"lng\":2.3522},\"dropoff\":{\"lat\":48.8738,\"lng\":2.2950}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(quote.statusCode()).as(quote.body()).isEqualTo(200);
      assertThat(quote.body()).contains("great_circle_x1.3");

      node.destroy(); // SIGTERM
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
    } finally {
      node.destroyForcibly();
    }

    assertThat(node.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
    String log = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    assertThat(log).contains("node started address=" + address + " http=127.0.0.1:" + port)
        .contains("stopping on signal")
        .contains("node stopped")
        .contains("method=GET path=/health/ready status=200")
        .contains("node registration registered address=" + address)
        .doesNotContain("jar-test");
    assertThat(Files.readString(dir.resolve("out.txt"))).isEmpty();
    assertThat(dir.resolve("data/node.db")).exists();
    assertThat(dir.resolve("data/node.db-wal")).as("WAL checkpointed on close").doesNotExist();
  }
}
