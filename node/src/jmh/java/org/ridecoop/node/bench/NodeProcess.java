package org.ridecoop.node.bench;

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

/**
 * A ridecoop node run from the shaded jar as its own process ({@code java -jar ridecoop.jar node
 * start --config node.yaml}), as an operator runs it: the load generator shares no JVM with it.
 */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  final int port;

  private NodeProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Writes {@code node.yaml} into {@code dir} (which holds {@code node-key.json},
   * {@code node-key.password} and {@code deployment.json}) and starts the node on it.
   *
   * @param storeRoot where the node's data directory goes (its SQLite store)
   * @param label names the run's config, data directory and log
   * @param pollMillis the node's {@code chain.pollMillis}
   * @param serviceCell the H3 cell (resolution 9) the node registers as its service area
   * @param extraYaml further settings appended to the file (e.g. the fleet)
   */
  static NodeProcess start(Path jar, Path dir, Path storeRoot, String label, String rpcUrl, int port,
      long windowMillis, long pollMillis, String serviceCell, String extraYaml)
      throws IOException, InterruptedException {
    Path data = storeRoot.resolve("data-" + label);
    Path config = Files.writeString(dir.resolve("node-" + label + ".yaml"), """
        chain:
          rpcUrl: %s
          manifest: deployment.json
          pollMillis: %d
        keystore:
          file: node-key.json
          passwordFile: node-key.password
        http:
          host: 127.0.0.1
          port: %d
        dataDir: %s
        peers:
          enabled: false
        matching:
          windowMillis: %d
        node:
          endpoint: http://127.0.0.1:%d
          serviceArea: [%s]
        %s""".formatted(rpcUrl, pollMillis, port, data, windowMillis, port, serviceCell, extraYaml));
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(List.of("-Xmx2g", "-jar", jar.toString(), "node", "start", "--config", config.toString()));
    Path log = dir.resolve("node-" + label + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("RIDECOOP_"));
    NodeProcess node = new NodeProcess(pb.start(), log, port);
    node.awaitReady(Duration.ofSeconds(90));
    return node;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the node exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the node was not ready within " + timeout.toSeconds() + " s:\n" + logTail());
  }

  /** The node's process id. */
  long pid() {
    return process.pid();
  }

  String logTail() throws IOException {
    String all = Files.readString(log);
    return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
  }

  /** Stops the node with SIGTERM (its graceful shutdown), then forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
