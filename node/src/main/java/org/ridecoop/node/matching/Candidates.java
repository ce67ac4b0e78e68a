package org.ridecoop.node.matching;

import java.util.Set;
import org.ridecoop.node.matching.DriverIndex.Driver;

/**
 * The nearest free drivers found for one ride, best first, kept in small parallel arrays while
 * the search runs (insertion into a sorted array: the list is short).
 *
 * <p>The engine reuses one per window slot ({@link #reset}), so a match allocates no buffers. A
 * reused list may still refer to drivers of an earlier window beyond its size (never read): a few
 * hundred small records at most, not worth clearing on every match.
 */
final class Candidates {

  /** How many drivers to keep; the arrays may be longer. */
  int wanted;
  Driver[] drivers;
  double[] chord2;
  int[] rings;
  int size;
  /** ETA and distance of each kept driver, filled by {@link #finish}. */
  int[] seconds;
  int[] metres;
  /** Drivers in reach skipped because another ride's offer holds them. */
  int busyInReach;
  /** Drivers in reach skipped because they already declined or ignored this ride. */
  int triedInReach;
  /** Work the search did: rings, cells looked up, drivers whose distance was computed. */
  int ringsSearched;
  int cellsVisited;
  int driversExamined;

  private double reachChord2;
  private Set<DriverId> tried;

  /**
   * @param wanted how many drivers to keep
   * @param reachChord2 squared chord of the furthest distance within the ETA cutoff
   * @param tried drivers that may not be offered this ride again, or null
   */
  Candidates(int wanted, double reachChord2, Set<DriverId> tried) {
    allocate(wanted);
    this.wanted = wanted;
    this.reachChord2 = reachChord2;
    this.tried = tried;
  }

  /** Empties this list for another search, as if newly made with these arguments. */
  Candidates reset(int wanted, double reachChord2, Set<DriverId> tried) {
    if (wanted > drivers.length) {
      allocate(wanted);
    }
    this.wanted = wanted;
    this.reachChord2 = reachChord2;
    this.tried = tried;
    size = 0;
    busyInReach = 0;
    triedInReach = 0;
    ringsSearched = 0;
    cellsVisited = 0;
    driversExamined = 0;
    return this;
  }

  private void allocate(int capacity) {
    drivers = new Driver[capacity];
    chord2 = new double[capacity];
    rings = new int[capacity];
    seconds = new int[capacity];
    metres = new int[capacity];
  }

  boolean full() {
    return size == wanted;
  }

  /** Squared chord of the furthest kept driver (meaningful when {@link #full}). */
  double worstChord2() {
    return chord2[size - 1];
  }

  /**
   * Whether a driver at squared chord {@code c2} could be kept, judged on distance alone (ties
   * included): lets the search skip the driver object of most drivers.
   */
  boolean wants(double c2) {
    return c2 <= reachChord2 && (size < wanted || c2 <= chord2[size - 1]);
  }

  /**
   * Considers one driver at squared chord {@code c2} found in ring {@code ring}; {@code busy} if
   * an offer holds it (passed in, so a busy or far driver's object is never read).
   */
  void consider(Driver d, double c2, int ring, boolean busy) {
    if (c2 > reachChord2) {
      return;
    }
    if (size == wanted && !closer(c2, d, size - 1)) {
      return;
    }
    if (busy) {
      busyInReach++;
      return;
    }
    if (tried != null && tried.contains(d.id)) {
      triedInReach++;
      return;
    }
    int i = size == wanted ? size - 1 : size++;
    while (i > 0 && closer(c2, d, i - 1)) {
      drivers[i] = drivers[i - 1];
      chord2[i] = chord2[i - 1];
      rings[i] = rings[i - 1];
      i--;
    }
    drivers[i] = d;
    chord2[i] = c2;
    rings[i] = ring;
  }

  /** Strictly before slot {@code i}: nearer, or as near with the smaller id (deterministic). */
  private boolean closer(double c2, Driver d, int i) {
    return c2 < chord2[i] || (c2 == chord2[i] && d.id.value().compareTo(drivers[i].id.value()) < 0);
  }

  /** Computes metres and ETA of the kept drivers; drops any the ETA model puts past the cutoff. */
  Candidates finish(EtaModel eta, int maxEtaSeconds) {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      int m = Sphere.metres(chord2[i]);
      int s = eta.etaSeconds(m);
      if (s > maxEtaSeconds) {
        continue;
      }
      drivers[kept] = drivers[i];
      chord2[kept] = chord2[i];
      rings[kept] = rings[i];
      metres[kept] = m;
      seconds[kept] = s;
      kept++;
    }
    for (int i = kept; i < size; i++) {
      drivers[i] = null;
    }
    size = kept;
    return this;
  }
}
