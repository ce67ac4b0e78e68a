package org.ridecoop.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A ridecoop node run as a real operating-system process ({@code java -jar ridecoop.jar node start})
 * on a fixed config, data directory and port, so that it can be killed and started again on the
 * same state. Each run's standard output and error are kept beside the config
 * ({@code run-1.out}, {@code run-1.err}, ...); {@link #tail} shows the end of every run when a
 * test fails.
 *
 * <p>{@link #kill9()} sends SIGKILL (what {@link Process#destroyForcibly()} does on Linux): no
 * shutdown hook runs, nothing is flushed or closed, exactly as when the machine loses power under
 * the JVM.
 */
public final class NodeProcess implements AutoCloseable {

  /** Exit value of a process killed by SIGKILL, as Java reports it: 128 + 9. */
  public static final int KILLED_BY_SIGKILL = 137;

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path config;
  private final int port;
  private final Map<String, String> env;
  private final List<Path> logs = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  /**
   * @param config the node's {@code node.yaml}; its directory holds the data directory and the logs
   * @param port the HTTP port the config (or {@code env}) makes the node listen on
   * @param env {@code RIDECOOP_*} and password variables every run gets
   */
  public NodeProcess(Path config, int port, Map<String, String> env) {
    this.config = config;
    this.port = port;
    this.env = Map.copyOf(env);
  }

  /** The shaded launcher built at {@code package} (failsafe passes its path). */
  public static Path jar() {
    Path jar = Path.of(System.getProperty("ridecoop.jar", "target/ridecoop.jar"));
    assertThat(jar).as("the shaded launcher jar (built by mvn package)").exists();
    return jar;
  }

  /** The node's HTTP base address. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The running process's id. */
  public long pid() {
    return process.pid();
  }

  /**
   * Starts a run with the common environment plus {@code runEnv}, and waits until
   * {@code /health/ready} answers 200.
   */
  public NodeProcess start(Map<String, String> runEnv) throws IOException, InterruptedException {
    assertThat(process == null || !process.isAlive()).as("the previous run is over").isTrue();
    int run = logs.size() / 2 + 1;
    Path dir = config.getParent();
    Path out = dir.resolve("run-" + run + ".out");
    Path err = dir.resolve("run-" + run + ".err");
    logs.add(out);
    logs.add(err);
    List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"),
        // Two cores are shared by several builds: a small heap and a quick JIT start.
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-jar", jar().toString(), "node", "start", "--config", config.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("RIDECOOP_"));
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(runEnv);
    pb.environment().putAll(all);
    long started = System.nanoTime();
    process = pb.start();
    awaitReady();
    System.out.printf("node run %d (pid %d) ready in %d ms%n", run, process.pid(),
        (System.nanoTime() - started) / 1_000_000);
    return this;
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the node exited with " + process.exitValue() + " before it was ready\n" + tail(40));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri().resolve("/health/ready"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException notListeningYet) {
        last = notListeningYet.toString();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the node was not ready within " + READY_TIMEOUT.toSeconds() + " s (last: " + last
        + ")\n" + tail(40));
  }

  /**
   * Kills the node with SIGKILL and waits for it to be gone; asserts it died of the signal and that
   * no graceful stop ran.
   */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed node is gone").isTrue();
    assertThat(process.exitValue()).as("died of SIGKILL\n" + tail(20)).isEqualTo(KILLED_BY_SIGKILL);
    assertThat(log()).as("no shutdown hook ran").doesNotContain("stopping on signal").doesNotContain("node stopped");
  }

  /** Stops the node gracefully (SIGTERM), as an operator would. */
  public void stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the node stopped on SIGTERM").isTrue();
  }

  /** The current (or last) run's standard error, where the node logs. */
  public String log() {
    return read(logs.get(logs.size() - 1));
  }

  /** The last {@code lines} lines of every run's output and error, run by run. */
  public String tail(int lines) {
    StringBuilder s = new StringBuilder();
    for (Path log : logs) {
      List<String> all = read(log).lines().toList();
      s.append("---- ").append(log).append(" (last ").append(Math.min(lines, all.size())).append(" of ")
          .append(all.size()).append(" lines)\n");
      all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> s.append(l).append('\n'));
    }
    return s.toString();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills a run still alive (a failed test must not leave a node behind). */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
