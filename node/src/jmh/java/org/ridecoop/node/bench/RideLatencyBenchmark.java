package org.ridecoop.node.bench;

import com.uber.h3core.H3Core;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.ridecoop.benchmark.BenchmarksFile;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

/**
 * Request → offer latency of a ridecoop node under an open-loop load of signed ride requests, and
 * request → booked on Anvil. Not a test: it prints its figures and rewrites the "Node request
 * latency" section of BENCHMARKS.md.
 *
 * <p>This process is the load generator. It starts Anvil, deploys the contracts, makes a fleet of
 * drivers members of the drivers' college and starts the node from the shaded jar as a separate
 * process serving that fleet. Then, per matching window: the simulated drivers connect to their
 * offer streams and go online at random points of Paris; riders (fresh keys, requests signed
 * ahead) send requests at a fixed rate; latency runs from each request's due time to its offer
 * reaching the driver and to the driver's signed offer reaching the rider. Finally rides are
 * requested and booked on chain one at a time (request → booked).
 *
 * <p>Settings (system properties): {@code bench.drivers} (1500), {@code bench.rates} (500 per
 * second; a list runs each), {@code bench.warmup} (5 s), {@code bench.seconds} (20 s measured),
 * {@code bench.windows} (2000,100 ms; the first is the node's default), {@code bench.booked} (50
 * rides), {@code bench.bookedPolls} (200,20: the node's {@code chain.pollMillis} for the booked
 * rides, one node each), {@code bench.tmpfsRates} (500: rates run once more, first window, with
 * the node's store on /dev/shm to show what the disk's fsyncs cost; empty for none), {@code bench.jar} (node/target/ridecoop.jar), {@code bench.out}
 * (BENCHMARKS.md), paths relative to the repository root ({@code bench.repo}).
 */
public final class RideLatencyBenchmark {

  static final String HEADING = "## Node request latency (loopback, separate node process, Anvil)";
  static final String OLD_HEADING = "## Node request latency (not measured yet)";
  private static final String PASSWORD = "bench-node-key";
  private static final long MAX_FARE = 1_000_000;

  private RideLatencyBenchmark() {}

  /** Runs the benchmark; see the class comment for the settings. */
  public static void main(String[] args) throws Exception {
    Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
    int driverCount = Integer.getInteger("bench.drivers", 1500);
    int[] rates = Arrays.stream(System.getProperty("bench.rates", "500").split(","))
        .mapToInt(r -> Integer.parseInt(r.strip())).toArray();
    int warmupSeconds = Integer.getInteger("bench.warmup", 5);
    int seconds = Integer.getInteger("bench.seconds", 20);
    long[] windows = Arrays.stream(System.getProperty("bench.windows", "2000,100").split(","))
        .mapToLong(s -> Long.parseLong(s.strip())).toArray();
    int bookedRides = Integer.getInteger("bench.booked", 50);
    int[] shmRates = System.getProperty("bench.tmpfsRates", "500").isBlank() ? new int[0]
        : Arrays.stream(System.getProperty("bench.tmpfsRates", "500").split(",")).mapToInt(r -> Integer.parseInt(r.strip())).toArray();
    long[] bookedPolls = Arrays.stream(System.getProperty("bench.bookedPolls", "200,20").split(","))
        .mapToLong(s -> Long.parseLong(s.strip())).toArray();
    Path jar = repo.resolve(System.getProperty("bench.jar", "node/target/ridecoop.jar"));
    Path out = repo.resolve(System.getProperty("bench.out", "BENCHMARKS.md"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no node jar at " + jar + ": run ./mvnw -pl node -am package first");
    }

    Report report = new Report(driverCount, warmupSeconds, seconds);
    report.loadBefore = loadAverage();
    report.started = Instant.now();
    say("load average before: %s; %d drivers, %s requests/s, %d s warm-up + %d s measured, windows %s ms",
        report.loadBefore, driverCount, Arrays.toString(rates), warmupSeconds, seconds, Arrays.toString(windows));

    Path dir = Files.createTempDirectory("ridecoop-latency-");
    report.fsyncMillis = Report.fsyncMillis(dir);
    say("4 KiB write + fsync in %s: %.1f ms", dir, report.fsyncMillis);
    Vertx vertx = Vertx.vertx();
    try (AnvilChain chain = AnvilChain.start()) {
      CoopFixture coop = CoopFixture.deploy(chain, chain.access());
      coop.manifest.write(dir.resolve("deployment.json"));
      writeNodeKey(coop, dir);
      long joining = System.nanoTime();
      List<Credentials> fleet = deriveKeys("driver", driverCount);
      joinDrivers(coop, fleet);
      say("%d drivers joined the drivers' college in %d s", driverCount, (System.nanoTime() - joining) / 1_000_000_000L);

      Eip712Domain domain = coop.ledgerDomain;
      H3Core h3 = H3Core.newInstance();
      String serviceCell = Long.toHexString(h3.latLngToCell(48.8566, 2.3522, 9));
      String fleetYaml = "drivers:\n" + fleet.stream().map(c -> "  - " + c.getAddress() + "\n").collect(Collectors.joining());
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(256));
      WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(50_000));
      Fleet drivers = new Fleet(vertx, http, sockets, fleet, domain);
      NodeLauncher launcher = (label, window, poll, storeRoot) ->
          NodeProcess.start(jar, dir, storeRoot, label, chain.rpcUrl(), freePort(), window, poll, serviceCell, fleetYaml);

      // Request -> booked, one ride at a time, with the default poll and with a short one.
      for (long poll : bookedPolls) {
        if (bookedRides == 0) {
          break;
        }
        String label = "booked-poll" + poll;
        try (NodeProcess node = launcher.start(label, windows[0], poll, dir)) {
          List<WebSocket> streams = drivers.online(node, label, 4, (hash, at) -> { });
          int warm = Math.min(5, bookedRides);
          List<RiderLoad.Prepared> bookers = RiderLoad.prepare(bookedRides + warm, label, domain, h3, MAX_FARE);
          for (RiderLoad.Prepared b : bookers) {
            coop.deposit(b.rider(), MAX_FARE);
          }
          say("%s: %d rides booked one at a time (window %d ms, chain.pollMillis %d)", label, bookedRides, windows[0], poll);
          BookedRides.Result booked = BookedRides.run(http, sockets, node.port, chain.web3j(), chain.chainId(),
              coop.manifest.address("RideLedger"), bookers, warm);
          report.booked.add(new Report.Booked(windows[0], poll, booked));
          say("  book tx sent → stream 'booked': %s", booked.bookToBooked().summary());
          say("  book tx sent → receipt:         %s", booked.bookTransaction().summary());
          say("  request → 'booked':             %s", booked.requestToBooked().summary());
          streams.forEach(WebSocket::close);
        }
      }

      // Request -> offer under an open-loop load, per window and rate; then the store on tmpfs for comparison.
      List<Object[]> plan = new ArrayList<>();
      for (int rate : rates) {
        for (long window : windows) {
          plan.add(new Object[] {window, rate, false});
        }
      }
      for (int rate : shmRates) {
        plan.add(new Object[] {windows[0], rate, true});
      }
      for (Object[] step : plan) {
        long window = (Long) step[0];
        int rate = (Integer) step[1];
        boolean tmpfs = (Boolean) step[2];
        String label = "w" + window + "-r" + rate + (tmpfs ? "-tmpfs" : "");
        int total = rate * (warmupSeconds + seconds);
        Path storeRoot = tmpfs ? Files.createTempDirectory(Path.of("/dev/shm"), "ridecoop-latency-") : dir;
        try (NodeProcess node = launcher.start(label, window, NodeConfig.Chain.DEFAULT_POLL_MILLIS, storeRoot)) {
          say("%s: node up on port %d; signing %d rider requests and the drivers' online calls", label, node.port, total);
          List<RiderLoad.Prepared> requests = RiderLoad.prepare(total, label, domain, h3, MAX_FARE);
          RiderLoad riders = new RiderLoad(vertx, http, sockets, node.port, requests);
          int callsPerDriver = (int) Math.ceil(3.0 * total / fleet.size()) + 4;
          List<WebSocket> streams = drivers.online(node, label, callsPerDriver, riders::offerReachedDriver);
          Thread.sleep(5_000); // let the node's indexer finish replaying the fleet's membership events
          FleetDriver.ACCEPTED.set(0);
          FleetDriver.REFUSED.set(0);
          String before = loadAverage();
          say("%s: %d requests at %d/s (load average %s)", label, total, rate, before);
          long self = ProcessHandle.current().pid();
          long anvil = ProcessCpu.anvil(chain.port()).orElse(-1L);
          long[] cpuBefore = {ProcessCpu.millis(node.pid()), ProcessCpu.millis(anvil), ProcessCpu.millis(self)};
          long wallBefore = System.nanoTime();
          RiderLoad.Result result = riders.run(rate, warmupSeconds * rate, window + 15_000);
          double wall = (System.nanoTime() - wallBefore) / 1e6;
          long[] cpuAfter = {ProcessCpu.millis(node.pid()), ProcessCpu.millis(anvil), ProcessCpu.millis(self)};
          Report.Cpu cpu = new Report.Cpu((cpuAfter[0] - cpuBefore[0]) / wall, (cpuAfter[1] - cpuBefore[1]) / wall,
              (cpuAfter[2] - cpuBefore[2]) / wall, (cpuAfter[0] - cpuBefore[0]) / (double) total);
          report.runs.add(new Report.Run(window, rate, tmpfs, result, before, loadAverage(),
              FleetDriver.ACCEPTED.get(), FleetDriver.REFUSED.get(), cpu));
          say("  CPUs used: node %.2f, Anvil %.2f, generator %.2f; node CPU per request sent %.1f ms",
              cpu.node(), cpu.anvil(), cpu.generator(), cpu.nodeMillisPerRequest());
          say("  sent %.1f/s of %d/s asked; refused %s; no local driver %d; accepts %d ok, %d refused; %.1f offers/s at riders",
              result.sentRate(), rate, result.refused(), result.noDriver(), FleetDriver.ACCEPTED.get(),
              FleetDriver.REFUSED.get(), result.offerRate());
          say("  request → 202:               %s", result.accepted().summary());
          say("  request → offer at driver:   %s", result.offerAtDriver().summary());
          say("  request → offer at rider:    %s", result.offerAtRider().summary());
          streams.forEach(WebSocket::close);
        } finally {
          if (tmpfs) {
            deleteTree(storeRoot);
          }
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    report.loadAfter = loadAverage();
    report.finished = Instant.now();
    say("load average after: %s", report.loadAfter);
    if (Files.exists(out)) {
      // The first run takes over the placeholder section, in place.
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.writeString(out, text.replace(OLD_HEADING + "\n", HEADING + "\n"), StandardCharsets.UTF_8);
    }
    BenchmarksFile.replaceSection(out, HEADING, report.markdown());
    say("wrote %s", out);
  }

  /** Starts a node process for one run. */
  @FunctionalInterface
  private interface NodeLauncher {
    NodeProcess start(String label, long windowMillis, long pollMillis, Path storeRoot) throws Exception;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }

  /** The node's own key in a light-scrypt wallet beside its password; an active driver member. */
  static void writeNodeKey(CoopFixture coop, Path dir) throws Exception {
    ECKeyPair pair = Keys.createEcKeyPair();
    String name = WalletUtils.generateWalletFile(PASSWORD, pair, dir.toFile(), false);
    Files.move(dir.resolve(name), dir.resolve("node-key.json"));
    Files.writeString(dir.resolve("node-key.password"), PASSWORD);
    coop.join(Credentials.create(pair), 0);
  }

  /** Keys derived from their index, so reruns use the same accounts. */
  static List<Credentials> deriveKeys(String role, int count) {
    return IntStream.range(0, count).parallel().mapToObj(i -> Credentials.create(ECKeyPair.create(new BigInteger(1,
        Hash.sha3(("ridecoop-bench-" + role + "-" + i).getBytes(StandardCharsets.UTF_8)))))).toList();
  }

  /**
   * Makes every key an active member of the drivers' college: the on-ramp funds the share price
   * (one sender, so in order), then each driver registers, approves and joins (own keys, in
   * parallel).
   */
  private static void joinDrivers(CoopFixture coop, List<Credentials> fleet) throws Exception {
    BigInteger share = coop.config.sharePrice();
    for (Credentials d : fleet) {
      coop.fund(d, share.longValueExact());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Object>> joins = new ArrayList<>();
      for (Credentials d : fleet) {
        joins.add(pool.submit(() -> {
          coop.membership(d).registerUser().send();
          coop.token(d).approve(coop.manifest.address("Membership"), share).send();
          coop.membership(d).join(BigInteger.ZERO).send();
          return null;
        }));
      }
      for (var j : joins) {
        j.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void say(String format, Object... args) {
    System.out.println("[" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + String.format(Locale.ROOT, format, args));
  }
}
