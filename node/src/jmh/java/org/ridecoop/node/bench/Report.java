package org.ridecoop.node.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of one benchmark run as the BENCHMARKS.md section. */
final class Report {

  /** One matching window's load phase. */
  record Run(long window, int rate, boolean tmpfs, RiderLoad.Result result, String loadBefore, String loadAfter, long accepts,
      long refusedAccepts, Cpu cpu) {}

  /**
   * CPU used during a load run (warm-up, measured phase and drain), in CPUs (1.0 = one CPU busy
   * all the time), and the node's CPU milliseconds per request sent.
   */
  record Cpu(double node, double anvil, double generator, double nodeMillisPerRequest) {}

  /** Rides booked one at a time on a node with {@code chain.pollMillis = poll}. */
  record Booked(long window, long poll, BookedRides.Result result) {}

  final int drivers;
  final int warmupSeconds;
  final int seconds;
  final List<Run> runs = new ArrayList<>();
  String loadBefore;
  String loadAfter;
  Instant started;
  Instant finished;
  final List<Booked> booked = new ArrayList<>();
  double fsyncMillis;

  Report(int drivers, int warmupSeconds, int seconds) {
    this.drivers = drivers;
    this.warmupSeconds = warmupSeconds;
    this.seconds = seconds;
  }

  String markdown() {
    DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    StringBuilder md = new StringBuilder();
    md.append("""
        A ridecoop node started from the shaded jar as its own process (`java -jar node/target/ridecoop.jar
        node start --config …`), on Anvil, loaded over loopback by a separate load-generating process
        (`RideLatencyBenchmark`, `node/src/jmh/java/org/ridecoop/node/bench`). Command (builds the jar, then
        runs the benchmark in the `integration-test` phase; about 20 minutes on the shared 2-CPU machine):

        ```sh
        ./mvnw -B -pl node -am verify -Platency -DskipTests
        ```

        Options go through `-Dlatency.args`, e.g. `-Dlatency.args="-Dbench.rates=100,500 -Dbench.windows=2000,100"`
        (`bench.drivers`, `bench.rates`, `bench.warmup`, `bench.seconds`, `bench.windows`, `bench.booked`,
        `bench.bookedPolls`).
        Never part of `./mvnw verify`: the profile is off by default.

        ### Environment

        """);
    md.append(String.format(Locale.ROOT, "- Run %s–%s UTC. CPU: %s, %d logical CPUs; %s RAM. JVM %s %s (both processes).%n",
        day.format(started), time.format(finished), cpuModel(), Runtime.getRuntime().availableProcessors(), memory(),
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version")));
    md.append(String.format(Locale.ROOT, "- **The machine was shared with other builds during the run: load average %s before, %s after** "
        + "(1, 5, 15 min) on %d CPUs, and the node, Anvil and the load generator share those CPUs too. "
        + "Every figure is therefore pessimistic and noisy.%n", loadBefore, loadAfter, Runtime.getRuntime().availableProcessors()));
    md.append(String.format(Locale.ROOT, "- Anvil (instant mining, base fee 0) with the whole deployment; %,d drivers are members of the "
        + "drivers' college and listed in the node's `drivers:`; peers off (a local request is never sent to "
        + "another node). The node's SQLite store on the local disk, where one 4 KiB write + fsync took %.1f ms "
        + "(measured by the benchmark before the runs).%n%n", drivers, fsyncMillis));
    md.append("""
        ### What is measured

        - **Load:** riders with fresh keys (ride nonce 0 on the ledger) send signed `RideRequest`s
          (`POST /v1/rides`) **open-loop at a fixed rate**: request *i* is due at *start + i / rate*
          whatever happened to the others, and every latency is taken from that due time, so a node or
          generator that falls behind shows as latency (no coordinated omission). Signatures are made
          before the measured phase; pickups and drop-offs uniform over Paris.
        - **Drivers:** each simulated driver keeps a WebSocket on its offer stream
          (`/v1/drivers/:addr/stream`, signed handshake); on an offer it signs the EIP-712 offer with its
          own key and accepts it, then goes online again at a new random point of Paris (its "go online"
          calls are signed ahead; the offer can only be signed when it arrives).
        - **request → offer at driver:** due time to the offer message on the driver's stream.
        - **request → signed offer at rider:** due time to the driver's signed offer on the ride's
          status stream (`GET /v1/rides/:id/stream`, opened on the 202): the request, the matching
          window, the offer, the driver's signature and accept, and the push to the rider.
        - A request that never got its offer counts as infinitely late in the percentiles ("never").
        """);
    md.append(String.format(Locale.ROOT, "- Per run: a fresh node process, %d s warm-up (not measured), then %d s measured.%n%n",
        warmupSeconds, seconds));

    md.append("### Request → offer under load\n\n");
    md.append("| window in force | store | asked | sent | answered 202 / not | no local driver | offer at driver p50 / p90 / p99 / max (ms) "
        + "| signed offer at rider p50 / p90 / p99 / max (ms) | offers at riders / s | target p99 ≤ window + 20 ms |\n");
    md.append("|---:|---|---:|---:|---|---:|---|---|---:|---|\n");
    for (Run r : runs) {
      RiderLoad.Result x = r.result();
      double p99 = x.offerAtRider().percentileMillis(99);
      boolean met = p99 <= r.window() + 20;
      md.append(String.format(Locale.ROOT, "| %,d ms | %s | %d/s | %.1f/s | %,d / %s | %,d | %s | %s | %.1f | %s |%n",
          r.window(), r.tmpfs() ? "tmpfs (comparison)" : "disk", r.rate(), x.sentRate(), x.accepted().count() + x.accepted().missingCount(), refused(x),
          x.noDriver(), four(x.offerAtDriver()), four(x.offerAtRider()), x.offerRate(),
          (met ? "met" : "**not met**") + " (p99 " + Latencies.ms(p99) + " vs " + (r.window() + 20) + ")"));
    }
    md.append("\n");
    for (Run r : runs) {
      md.append(String.format(Locale.ROOT, "- window %,d ms at %d/s%s: request → 202 %s; drivers' accepts %,d taken, %,d refused "
          + "(the offer had timed out or gone); CPUs used by the node %.2f, Anvil %.2f, the generator %.2f "
          + "(node: %.1f CPU ms per request sent); load average %s before, %s after.%n",
          r.window(), r.rate(), r.tmpfs() ? " (store on tmpfs)" : "", r.result().accepted().summary(), r.accepts(),
          r.refusedAccepts(), r.cpu().node(), r.cpu().anvil(), r.cpu().generator(), r.cpu().nodeMillisPerRequest(),
          r.loadBefore(), r.loadAfter()));
    }
    md.append("\n");
    if (!booked.isEmpty()) {
      md.append(String.format(Locale.ROOT, """
          ### Request → booked on chain

          %d rides one after the other (after 5 not measured) on a node with the default window
          (%,d ms): the rider's app sends its request, follows the ride's stream and, on the driver's signed
          offer, books it on the ledger with its own key (`RideLedger.book`, receipts polled every 1 ms);
          the ride is booked for the rider when the node's stream says `booked`, i.e. once the node's event
          indexer has read the `RideBooked` event and the desk has stored the ride. One node per
          `chain.pollMillis` (the indexer's poll once caught up).

          | chain.pollMillis | interval | p50 | p90 | max (ms) |
          |---:|---|---:|---:|---:|
          """, booked.get(0).result().bookToBooked().count(), booked.get(0).window()));
      for (Booked b : booked) {
        String poll = b.poll() + " ms" + (b.poll() == 200 ? " (default)" : "");
        row(md, poll, "**book transaction sent → stream says `booked`**", b.result().bookToBooked());
        row(md, poll, "book transaction sent → its receipt (the chain's own time)", b.result().bookTransaction());
        row(md, poll, "request sent → signed offer on the stream", b.result().requestToOffer());
        row(md, poll, "request sent → stream says `booked` (includes the matching window)", b.result().requestToBooked());
      }
      md.append("\nTarget: p50 ≤ 100 ms from booking to booked: ");
      md.append(booked.stream().map(b -> {
        double p50 = b.result().bookToBooked().percentileMillis(50);
        return (p50 <= 100 ? "met" : "**not met**") + " with chain.pollMillis " + b.poll() + " (p50 " + Latencies.ms(p50) + " ms)";
      }).collect(java.util.stream.Collectors.joining("; "))).append(".\n");
    }
    return md.toString();
  }

  private static void row(StringBuilder md, String poll, String what, Latencies l) {
    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", poll, what, Latencies.ms(l.percentileMillis(50)),
        Latencies.ms(l.percentileMillis(90)), Latencies.ms(l.maxMillis())));
  }

  private static String four(Latencies l) {
    return Latencies.ms(l.percentileMillis(50)) + " / " + Latencies.ms(l.percentileMillis(90)) + " / "
        + Latencies.ms(l.percentileMillis(99)) + " / " + Latencies.ms(l.maxMillis());
  }

  private static String refused(RiderLoad.Result x) {
    int n = x.refused().values().stream().mapToInt(Integer::intValue).sum();
    if (n == 0) {
      return "0";
    }
    return n + " (" + x.refused().entrySet().stream().map(e -> e.getValue() + " " + switch (e.getKey()) {
      case 0 -> "unanswered by the end";
      case -1 -> "connection failed";
      case -2 -> "stream failed";
      default -> "HTTP " + e.getKey();
    }).collect(java.util.stream.Collectors.joining(", ")) + ")";
  }

  /** The mean time of a 4 KiB write followed by fsync in {@code dir}, over 100 writes. */
  static double fsyncMillis(Path dir) throws java.io.IOException {
    Path probe = dir.resolve("fsync-probe");
    try (var channel = java.nio.channels.FileChannel.open(probe, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(4096);
      long start = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        block.clear();
        channel.write(block, i * 4096L);
        channel.force(false);
      }
      return (System.nanoTime() - start) / 1e6 / 100;
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> "\"" + l.substring(l.indexOf(':') + 1).strip() + "\"").findFirst().orElse("model not reported");
    } catch (Exception e) {
      return "model not reported";
    }
  }

  private static String memory() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0) + " GiB").findFirst().orElse("?");
    } catch (Exception e) {
      return "?";
    }
  }
}
