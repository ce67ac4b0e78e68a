package org.ridecoop.node.matching;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Prints the heap the matching engine retains with 10k (and 100k) online drivers over Paris, after
 * 2,000 matches have warmed its caches: used heap after full GCs, minus the same with an empty
 * engine. Run by {@code -Pbench}, or {@code java -cp <test classpath>
 * org.ridecoop.node.matching.RetainedHeap}.
 */
public final class RetainedHeap {

  private RetainedHeap() {}

  /** Entry point; no arguments. */
  public static void main(String[] args) throws InterruptedException {
    for (int drivers : new int[] {10_000, 100_000}) {
      long empty = measure(0);
      long full = measure(drivers);
      System.out.printf("matching engine, %,d online drivers in Paris: retained heap %.1f MiB "
          + "(%,d bytes; %,d bytes per driver); JVM heap used %.1f MiB%n",
          drivers, (full - empty) / 1048576.0, full - empty, (full - empty) / drivers,
          full / 1048576.0);
    }
  }

  private static long measure(int drivers) throws InterruptedException {
    SplittableRandom random = new SplittableRandom(20261124L);
    MatchingEngine engine = new MatchingEngine(MatchingConfig.DEFAULT);
    for (int i = 0; i < drivers; i++) {
      engine.driverOnline(new DriverId("driver-" + i), MatchingBenchmark.Paris.random(random));
    }
    Instant now = Instant.parse("2026-11-24T08:00:00Z");
    for (int i = 0; i < 2000 && drivers > 0; i++) {
      RideRequest ride =
          new RideRequest(new RideId("ride-" + i), MatchingBenchmark.Paris.random(random));
      engine.submit(ride);
      if (engine.closeWindow(now).getFirst() instanceof Offer offer) {
        engine.accepted(ride.ride(), offer.driver());
        engine.driverOnline(offer.driver(), MatchingBenchmark.Paris.random(random));
      }
    }
    long used = usedAfterGc();
    Reference.reachabilityFence(engine);
    return used;
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
