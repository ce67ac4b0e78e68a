package org.ridecoop.node.matching;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Matches per second of the whole engine cycle, with 1k, 10k and 100k online drivers spread
 * uniformly (seeded) over the Paris bounding box, for the H3 ring search ({@code search=rings})
 * and for a naive scan of every online driver with the same ranking ({@code search=scan}).
 *
 * <p>One operation is one ride through the engine: submit the request (pickup drawn uniformly
 * from the box), close the window, accept the offer, and bring the driver back online at a new
 * random point of Paris (its ride is over), which keeps the number and spread of free drivers
 * constant. (A ride with no driver in reach, rare and only at 1k drivers near the box's edges,
 * counts as an operation too: the engine did the same search to find that out.) {@link #oneRidePerWindow} is the
 * quiet case; {@link #sixteenRidesPerWindow} closes windows of 16 rides solved together;
 * {@link #candidateSearch} is the search for one pickup's nearest drivers alone.
 *
 * <p>Run: see BENCHMARKS.md ({@code ./mvnw -B -pl node -am verify -Pbench -DskipTests}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MatchingBenchmark {

  private static final int RIDE_IDS = 1 << 10;
  private static final int PICKUPS = 1 << 12;
  private static final int WINDOW = 16;

  @Param({"1000", "10000", "100000"})
  int drivers;

  @Param({"rings", "scan"})
  String search;

  private MatchingEngine engine;
  private CandidateSearch searchOnly;
  private double[][] pickupUnits;
  private long[] pickupCells;
  private double reachChord2;
  private SplittableRandom random;
  private RideId[] rideIds;
  private int next;
  private Instant now;

  @Setup
  public void setUp() {
    random = new SplittableRandom(20261124L);
    engine = new MatchingEngine(MatchingConfig.DEFAULT, CitySpeedEta.DEFAULT,
        new OptimalAssignment(), "scan".equals(search));
    for (int i = 0; i < drivers; i++) {
      engine.driverOnline(new DriverId("driver-" + i), Paris.random(random));
    }
    // The search alone runs on its own index holding the same drivers, never changed.
    SplittableRandom same = new SplittableRandom(20261124L);
    DriverIndex index = new DriverIndex(new CellGrid(MatchingConfig.DEFAULT.h3Resolution()));
    for (int i = 0; i < drivers; i++) {
      index.place(new DriverId("driver-" + i), Paris.random(same));
    }
    int reach =
        MatchingEngine.reachMetres(CitySpeedEta.DEFAULT, MatchingConfig.DEFAULT.maxEtaSeconds());
    reachChord2 = Sphere.chord2OfMetres(reach);
    searchOnly = "scan".equals(search)
        ? new FullScan(index, false)
        : new RingSearch(index, MatchingConfig.DEFAULT.maxRing(), reach);
    pickupUnits = new double[PICKUPS][];
    pickupCells = new long[PICKUPS];
    for (int i = 0; i < PICKUPS; i++) {
      LatLng p = Paris.random(random);
      pickupUnits[i] = Sphere.unit(p);
      pickupCells[i] = index.grid().cellOf(p.lat(), p.lng());
    }
    // A ride leaves the engine within its own operation, so ids can be reused round-robin.
    rideIds = new RideId[RIDE_IDS];
    for (int i = 0; i < RIDE_IDS; i++) {
      rideIds[i] = new RideId("ride-" + i);
    }
    now = Instant.parse("2026-11-24T08:00:00Z");
  }

  /** The candidate search alone: the 4 nearest free drivers of a pickup, same ranking. */
  @Benchmark
  public Candidates candidateSearch() {
    int i = next++ & (PICKUPS - 1);
    Candidates out = new Candidates(MatchingConfig.DEFAULT.candidatesPerRide(), reachChord2, null);
    searchOnly.find(pickupUnits[i], pickupCells[i], out);
    return out;
  }

  @Benchmark
  public MatchOutcome oneRidePerWindow() {
    RideRequest ride = new RideRequest(rideIds[next++ & (RIDE_IDS - 1)], Paris.random(random));
    engine.submit(ride);
    MatchOutcome outcome = engine.closeWindow(now).getFirst();
    if (outcome instanceof Offer offer) {
      engine.accepted(ride.ride(), offer.driver());
      engine.driverOnline(offer.driver(), Paris.random(random));
    }
    return outcome;
  }

  @Benchmark
  @OperationsPerInvocation(WINDOW)
  public int sixteenRidesPerWindow() {
    for (int k = 0; k < WINDOW; k++) {
      engine.submit(new RideRequest(rideIds[next++ & (RIDE_IDS - 1)], Paris.random(random)));
    }
    List<MatchOutcome> outcomes = engine.closeWindow(now);
    int offers = 0;
    for (int k = 0; k < outcomes.size(); k++) {
      if (outcomes.get(k) instanceof Offer offer) {
        engine.accepted(offer.ride(), offer.driver());
        engine.driverOnline(offer.driver(), Paris.random(random));
        offers++;
      }
    }
    return offers;
  }

  /** Uniform points of the Paris bounding box. */
  static final class Paris {
    static final double SOUTH = 48.8156;
    static final double NORTH = 48.9022;
    static final double WEST = 2.2241;
    static final double EAST = 2.4699;

    private Paris() {}

    static LatLng random(SplittableRandom random) {
      return new LatLng(SOUTH + random.nextDouble() * (NORTH - SOUTH),
          WEST + random.nextDouble() * (EAST - WEST));
    }
  }
}
