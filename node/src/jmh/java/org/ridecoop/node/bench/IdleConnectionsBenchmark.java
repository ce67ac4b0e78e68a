package org.ridecoop.node.bench;

import com.uber.h3core.H3Core;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.test.CoopFixture;

/**
 * How reachable a node with default HTTP settings stays while thousands of idle TCP connections
 * are held open against it (issue 8: "20k idle sockets cannot make the node unreachable"). Not a
 * test: it prints its figures; the "Idle connections" section of BENCHMARKS.md is written from them.
 *
 * <p>It starts Anvil, deploys the contracts and starts the node from the shaded jar as a separate
 * process with no {@code http.*} settings (so {@code maxConnections} 10000,
 * {@code firstRequestTimeoutMillis} 10000, {@code idleTimeoutSeconds} 60). It probes
 * {@code GET /health/live} and {@code POST /v1/quotes}, each on a fresh connection
 * ({@code Connection: close}, connect to last byte), with no idle sockets; then {@link IdleSockets}
 * child processes open the idle connections, the probes run in turn while they connect and, as
 * soon as all are connected, {@code bench.probes} of each again; then it waits until 12 s after the last connect and reads which sockets the node closed
 * and when, the node's {@code ridecoop_http_connections_*} metrics and its resident memory.
 *
 * <p>Settings (system properties): {@code bench.sockets} (20000), {@code bench.clients} (2
 * processes sharing them), {@code bench.probes} (200 per endpoint and phase), {@code bench.jar}
 * (node/target/ridecoop.jar), relative to {@code bench.repo} (the repository root).
 */
public final class IdleConnectionsBenchmark {

  private static final byte[] QUOTE_BODY =
      "{\"pickup\":{\"lat\":48.8566,\"lng\":2.3522},\"dropoff\":{\"lat\":48.8738,\"lng\":2.2950}}"
          .getBytes(StandardCharsets.UTF_8);

  private IdleConnectionsBenchmark() {}

  /** Runs the benchmark; see the class comment for the settings. */
  public static void main(String[] args) throws Exception {
    Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
    int sockets = Integer.getInteger("bench.sockets", 20_000);
    int clients = Integer.getInteger("bench.clients", 2);
    int probes = Integer.getInteger("bench.probes", 200);
    Path jar = repo.resolve(System.getProperty("bench.jar", "node/target/ridecoop.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no node jar at " + jar + ": run ./mvnw -pl node -am package first");
    }
    RideLatencyBenchmark.say("load average before: %s; %d idle sockets from %d client processes, %d probes per endpoint",
        RideLatencyBenchmark.loadAverage(), sockets, clients, probes);
    Path dir = Files.createTempDirectory("ridecoop-idle-");
    try (AnvilChain chain = AnvilChain.start()) {
      CoopFixture coop = CoopFixture.deploy(chain, chain.access());
      coop.manifest.write(dir.resolve("deployment.json"));
      RideLatencyBenchmark.writeNodeKey(coop, dir);
      String serviceCell = Long.toHexString(H3Core.newInstance().latLngToCell(48.8566, 2.3522, 9));
      try (NodeProcess node = NodeProcess.start(jar, dir, dir, "idle", chain.rpcUrl(), freePort(),
          2_000, 200, serviceCell, "")) {
        int port = node.port;
        probe(port, "/health/live", null, 20); // warm-up: JIT and first-use costs out of the figures
        probe(port, "/v1/quotes", QUOTE_BODY, 20);
        RideLatencyBenchmark.say("no idle sockets: node RSS %d MiB", rssMiB(node.pid()));
        RideLatencyBenchmark.say("  GET /health/live, fresh connection: %s", probe(port, "/health/live", null, probes).summary());
        RideLatencyBenchmark.say("  POST /v1/quotes, fresh connection:  %s", probe(port, "/v1/quotes", QUOTE_BODY, probes).summary());

        List<Client> children = new ArrayList<>();
        long opening = System.nanoTime();
        int left = sockets;
        for (int i = 0; i < clients; i++) {
          int n = left / (clients - i);
          left -= n;
          children.add(Client.start(port, n));
        }
        // While the sockets are connecting (the node accepting and evicting at its cap), /health/live
        // and /v1/quotes are probed in turn, from fresh connections, until every client is connected.
        Latencies liveDuring = new Latencies();
        Latencies quotesDuring = new Latencies();
        java.util.concurrent.atomic.AtomicBoolean connecting = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread during = Thread.ofPlatform().start(() -> {
          while (connecting.get()) {
            liveDuring.addAll(probe(port, "/health/live", null, 1));
            quotesDuring.addAll(probe(port, "/v1/quotes", QUOTE_BODY, 1));
          }
        });
        try {
          try {
            for (Client c : children) {
              c.awaitOpened();
            }
          } finally {
            connecting.set(false);
            during.join();
          }
          long allOpen = System.nanoTime();
          RideLatencyBenchmark.say("while the idle sockets connected:");
          RideLatencyBenchmark.say("  GET /health/live, fresh connection: %s", liveDuring.summary());
          RideLatencyBenchmark.say("  POST /v1/quotes, fresh connection:  %s", quotesDuring.summary());
          RideLatencyBenchmark.say("%d idle sockets connected in %d ms; client-side still open: %d", sockets,
              (allOpen - opening) / 1_000_000, children.stream().mapToLong(Client::open).sum());
          RideLatencyBenchmark.say("  node RSS %d MiB; %s", rssMiB(node.pid()), connectionMetrics(port));
          RideLatencyBenchmark.say("  GET /health/live, fresh connection: %s", probe(port, "/health/live", null, probes).summary());
          RideLatencyBenchmark.say("  POST /v1/quotes, fresh connection:  %s", probe(port, "/v1/quotes", QUOTE_BODY, probes).summary());
          long probed = System.nanoTime();
          RideLatencyBenchmark.say("  probes done %d ms after the last connect; client-side still open: %d",
              (probed - allOpen) / 1_000_000, children.stream().mapToLong(Client::open).sum());

          long wait = allOpen + TimeUnit.SECONDS.toNanos(12) - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
          }
          Thread.sleep(1_500); // one more STATE line from each client
          long stillOpen = children.stream().mapToLong(Client::open).sum();
          long early = children.stream().mapToLong(c -> c.snapshot()[1]).sum();
          long atTimeout = children.stream().mapToLong(c -> c.snapshot()[2]).sum();
          long later = children.stream().mapToLong(c -> c.snapshot()[3]).sum();
          RideLatencyBenchmark.say("12 s after the last connect: %d of %d idle sockets still open; closed by the node "
              + "< 9 s after their connect: %d, 9-12 s: %d, later: %d", stillOpen, sockets, early, atTimeout, later);
          RideLatencyBenchmark.say("  node RSS %d MiB; %s", rssMiB(node.pid()), connectionMetrics(port));
          RideLatencyBenchmark.say("  GET /health/live, fresh connection: %s", probe(port, "/health/live", null, probes).summary());
        } finally {
          for (Client c : children) {
            c.close();
          }
        }
      }
    }
    RideLatencyBenchmark.say("load average after: %s", RideLatencyBenchmark.loadAverage());
  }

  /**
   * {@code count} requests one after another, each on its own new connection; latency from
   * connect to the response's last byte. A response other than 200, or none within 10 s, counts
   * as missing.
   */
  static Latencies probe(int port, String path, byte[] body, int count) {
    Latencies latencies = new Latencies();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      try {
        String response = exchange(port, path, body);
        if (response.startsWith("HTTP/1.1 200")) {
          latencies.add((System.nanoTime() - start) / 1_000);
        } else {
          latencies.missing();
        }
      } catch (IOException failed) {
        latencies.missing();
      }
    }
    return latencies;
  }

  /** One HTTP/1.1 exchange on a new connection, closed after; the whole response as text. */
  private static String exchange(int port, String path, byte[] body) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(10_000);
      String head = (body == null ? "GET " : "POST ") + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nConnection: close\r\n"
          + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n") + "\r\n";
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      s.getInputStream().transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  /** The node's {@code ridecoop_http_connections_*} lines from {@code /metrics}. */
  private static String connectionMetrics(int port) {
    try {
      String response = exchange(port, "/metrics", null);
      return response.lines().filter(l -> l.startsWith("ridecoop_http_connections"))
          .map(l -> l.replace("ridecoop_http_connections_", "")).collect(Collectors.joining("; "));
    } catch (IOException e) {
      return "metrics unreachable: " + e;
    }
  }

  private static long rssMiB(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1) / 1024;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** One {@link IdleSockets} child process and the last figures it printed. */
  private static final class Client implements AutoCloseable {
    private final Process process;
    /** open, closed &lt; 9 s, closed 9-12 s, closed later. */
    private final long[] state = new long[4];
    private boolean opened;

    private Client(Process process) {
      this.process = process;
      Thread.ofPlatform().daemon().start(this::follow);
    }

    static Client start(int port, int count) throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          IdleSockets.class.getName(), Integer.toString(port), Integer.toString(count))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return new Client(p);
    }

    private void follow() {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          String[] f = line.split(" ");
          synchronized (this) {
            if (f[0].equals("OPENED")) {
              opened = true;
              state[0] = Long.parseLong(f[1]);
              notifyAll();
            } else if (f[0].equals("STATE")) {
              for (int i = 0; i < 4; i++) {
                state[i] = Long.parseLong(f[i + 1]);
              }
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // the child ended; its last figures stay
      }
      synchronized (this) {
        notifyAll();
      }
    }

    synchronized void awaitOpened() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!opened) {
        if (!process.isAlive()) {
          throw new IllegalStateException("an idle-socket client exited with " + process.exitValue());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("an idle-socket client did not finish connecting in 2 min");
        }
        wait(Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(left) + 1));
      }
    }

    synchronized long[] snapshot() {
      return state.clone();
    }

    synchronized long open() {
      return state[0];
    }

    @Override
    public void close() throws InterruptedException {
      try {
        process.getOutputStream().close(); // the child exits when its input ends
      } catch (IOException ignored) {
        // already gone
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
