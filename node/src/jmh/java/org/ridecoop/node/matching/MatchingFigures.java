package org.ridecoop.node.matching;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Figures of the matching engine that do not depend on how busy the machine is, printed beside
 * the JMH run ({@code -Pbench}):
 *
 * <ul>
 *   <li>the work of one candidate search (rings, cells, drivers examined) per H3 resolution and
 *       number of online drivers, which is what the resolution is chosen on;
 *   <li>the heap the engine retains with 10k and 100k online drivers over Paris, after 2,000
 *       matches have warmed its caches: used heap after full GCs, minus the same with an empty
 *       engine;
 *   <li>the CPU time and the bytes allocated per match of the whole engine cycle, ring search and
 *       full scan ({@link MatchingCycleCost}).
 * </ul>
 */
public final class MatchingFigures {

  private static final int SEARCHES = 20_000;

  private MatchingFigures() {}

  /** Entry point; no arguments. */
  public static void main(String[] args) throws Exception {
    searchWork();
    for (int drivers : new int[] {10_000, 100_000}) {
      long empty = measure(0);
      long full = measure(drivers);
      System.out.printf("retained heap, %,d online drivers in Paris: %.1f MiB (%,d bytes, %,d "
          + "bytes per driver); JVM heap used after GC %.1f MiB%n",
          drivers, (full - empty) / 1048576.0, full - empty, (full - empty) / drivers,
          full / 1048576.0);
    }
    System.out.println("CPU time and allocation per match, whole engine cycle (1 ride per window)");
    MatchingCycleCost.main(new String[0]);
  }

  private static void searchWork() {
    int reach =
        MatchingEngine.reachMetres(CitySpeedEta.DEFAULT, MatchingConfig.DEFAULT.maxEtaSeconds());
    int wanted = MatchingConfig.DEFAULT.candidatesPerRide();
    System.out.printf("search work per pickup (%d nearest, %,d uniform pickups in Paris)%n",
        wanted, SEARCHES);
    System.out.println("| H3 res | drivers | rings | cells | drivers examined | scan examines |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (int resolution : new int[] {8, 9, 10}) {
      for (int drivers : new int[] {1_000, 10_000, 100_000}) {
        SplittableRandom random = new SplittableRandom(20261124L);
        DriverIndex index = new DriverIndex(new CellGrid(resolution));
        for (int i = 0; i < drivers; i++) {
          index.place(new DriverId("driver-" + i), MatchingBenchmark.Paris.random(random));
        }
        RingSearch rings = new RingSearch(index, MatchingConfig.DEFAULT.maxRing(), reach);
        long ringCount = 0;
        long cells = 0;
        long examined = 0;
        for (int s = 0; s < SEARCHES; s++) {
          LatLng p = MatchingBenchmark.Paris.random(random);
          Candidates out = new Candidates(wanted, Sphere.chord2OfMetres(reach), null);
          rings.find(Sphere.unit(p), index.grid().cellOf(p.lat(), p.lng()), out);
          ringCount += out.ringsSearched;
          cells += out.cellsVisited;
          examined += out.driversExamined;
        }
        System.out.printf("| %d | %,d | %.2f | %.1f | %.1f | %,d |%n", resolution, drivers,
            ringCount / (double) SEARCHES, cells / (double) SEARCHES,
            examined / (double) SEARCHES, drivers);
      }
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
