package org.ridecoop.node.matching;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The CPU time and the heap allocated per ride of the whole engine cycle, the operation of
 * {@link MatchingBenchmark#oneRidePerWindow} (submit, close the window, accept, the driver back
 * online at a new point), for the ring search and the full scan.
 *
 * <p>Why beside JMH: on a machine shared with other builds, wall-clock throughput also measures
 * how often the scheduler runs someone else. This thread's own CPU time does not count the time
 * it waits for a core (it still pays for caches the other processes evict), and the bytes it
 * allocates do not depend on the machine at all. Each configuration runs in a fresh JVM, as JMH's
 * forks do, so one search's profile does not shape the other's compiled code.
 *
 * <p>Run without arguments for the table (it starts the JVMs); with {@code <drivers> rings|scan}
 * for one row.
 */
public final class MatchingCycleCost {

  /** CPU time spent warming up before the measured rounds. */
  private static final long WARM_UP_NANOS = 3_000_000_000L;
  /** Measured rounds, each at least this much CPU time; the median is reported. */
  private static final int ROUNDS = 7;
  private static final long ROUND_NANOS = 400_000_000L;

  private MatchingCycleCost() {}

  /** Entry point: no arguments for the whole table, or {@code <drivers> rings|scan}. */
  public static void main(String[] args) throws Exception {
    if (args.length == 2) {
      row(Integer.parseInt(args[0]), "scan".equals(args[1]));
      return;
    }
    System.out.println("| online drivers | H3 rings: CPU µs per match (min–max of rounds) | "
        + "bytes allocated per match | full scan: CPU µs per match (min–max) | bytes per match "
        + "| rings ÷ scan (CPU time) |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (int drivers : new int[] {1_000, 10_000, 100_000}) {
      double[] rings = fork(drivers, "rings");
      double[] scan = fork(drivers, "scan");
      System.out.printf("| %,d | %.2f (%.2f–%.2f) | %,.0f | %.1f (%.1f–%.1f) | %,.0f | **%.0f×** |%n",
          drivers, rings[0], rings[1], rings[2], rings[3], scan[0], scan[1], scan[2], scan[3],
          scan[0] / rings[0]);
    }
  }

  /** Runs one row in a fresh JVM; returns {median, min, max} µs and bytes per match. */
  private static double[] fork(int drivers, String search) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), MatchingCycleCost.class.getName(),
        Integer.toString(drivers), search)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("row " + drivers + " " + search + " failed: " + out);
    }
    return Arrays.stream(out.split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  private static void row(int drivers, boolean scan) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    SplittableRandom random = new SplittableRandom(20261124L);
    MatchingEngine engine = new MatchingEngine(MatchingConfig.DEFAULT, CitySpeedEta.DEFAULT,
        new OptimalAssignment(), scan);
    for (int i = 0; i < drivers; i++) {
      engine.driverOnline(new DriverId("driver-" + i), MatchingBenchmark.Paris.random(random));
    }
    RideId[] rideIds = new RideId[1024];
    for (int i = 0; i < rideIds.length; i++) {
      rideIds[i] = new RideId("ride-" + i);
    }
    Instant now = Instant.parse("2026-11-24T08:00:00Z");
    long thread = Thread.currentThread().threadId();
    int next = 0;
    long sink = 0;
    long start = threads.getCurrentThreadCpuTime();
    while (threads.getCurrentThreadCpuTime() - start < WARM_UP_NANOS) {
      for (int k = 0; k < 16; k++) {
        sink += oneRide(engine, rideIds[next++ & 1023], random, now);
      }
    }
    List<Double> micros = new ArrayList<>();
    long bytes = 0;
    long rides = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long allocatedBefore = threads.getThreadAllocatedBytes(thread);
      long cpuBefore = threads.getCurrentThreadCpuTime();
      long cpu;
      int n = 0;
      do {
        for (int k = 0; k < 16; k++) {
          sink += oneRide(engine, rideIds[next++ & 1023], random, now);
        }
        n += 16;
        cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
      } while (cpu < ROUND_NANOS);
      bytes += threads.getThreadAllocatedBytes(thread) - allocatedBefore;
      rides += n;
      micros.add(cpu / 1000.0 / n);
    }
    micros.sort(null);
    System.out.println(micros.get(ROUNDS / 2) + " " + micros.getFirst() + " " + micros.getLast()
        + " " + (double) bytes / rides + (sink == 42 ? "" : ""));
  }

  /** One ride through the engine, as {@link MatchingBenchmark#oneRidePerWindow} does it. */
  private static int oneRide(
      MatchingEngine engine, RideId id, SplittableRandom random, Instant now) {
    RideRequest ride = new RideRequest(id, MatchingBenchmark.Paris.random(random));
    engine.submit(ride);
    MatchOutcome outcome = engine.closeWindow(now).getFirst();
    if (outcome instanceof Offer offer) {
      engine.accepted(ride.ride(), offer.driver());
      engine.driverOnline(offer.driver(), MatchingBenchmark.Paris.random(random));
      return 1;
    }
    return 0;
  }
}
