package org.ridecoop.node.matching;

import org.ridecoop.node.matching.DriverIndex.Cell;
import org.ridecoop.node.matching.DriverIndex.Driver;

/**
 * Searches the driver index ring by ring outward from the pickup cell.
 *
 * <p>It stops after ring k as soon as no driver outside rings 0..k can beat the candidates held:
 * when it holds enough candidates and the furthest of them is no further than the lower bound on
 * the distance to anything beyond ring k ({@link CellGrid.Neighbourhood#distanceBeyond}). It also
 * stops when that bound is past the ETA cutoff, when every online driver has been seen, or at the
 * configured maximum ring. Within a ring, it skips the cells whose lower bound is past the reach
 * or past the furthest candidate held (without reading their positions). The result is therefore
 * exactly what a scan of all drivers would give, at the cost of the few cells around the pickup.
 */
final class RingSearch implements CandidateSearch {

  private final DriverIndex index;
  private final int maxRing;
  private final double reachMetres;
  /** Scratch: per cell of the next ring, a lower bound on its distance (one search at a time). */
  private double[] cellBounds = new double[64];

  RingSearch(DriverIndex index, int maxRing, double reachMetres) {
    this.index = index;
    this.maxRing = maxRing;
    this.reachMetres = reachMetres;
  }

  @Override
  public void find(double[] pickup, long pickupCell, Candidates out) {
    find(pickup, index.grid().shape(pickupCell), out);
  }

  @Override
  public void find(double[] pickup, CellGrid.Shape pickupCell, Candidates out) {
    double x = pickup[0];
    double y = pickup[1];
    double z = pickup[2];
    DriverIndex.Area area = index.area(pickupCell);
    int total = index.size();
    int seen = 0;
    int examined = 0;
    // For ring k > 0, cellBounds holds each of its cells' lower bound on the distance, in metres,
    // left by the previous ring's stopping test.
    boolean bounded = false;
    // Great-circle metres of the furthest candidate held, for the chord it was computed from.
    double worstChord2 = -1;
    double worstMetres = 0;
    // Metres from the pickup cell's centre, rounded up, for the quick stopping test.
    CellGrid.Neighbourhood geometry = area.geometry;
    double offCentre = Sphere.exactMetres(Sphere.chord2(x, y, z, geometry.x, geometry.y,
        geometry.z)) + 1.0;
    for (int k = 0; total > 0; k++) {
      Cell[] ring = area.ring(k);
      out.ringsSearched = k + 1;
      out.cellsVisited += ring.length;
      for (int c = 0; c < ring.length; c++) {
        Cell cell = ring[c];
        int n = cell.size;
        if (n == 0) {
          continue;
        }
        seen += n;
        if (bounded) {
          // Skip a cell none of whose drivers could be kept: every point of it is further than
          // the reach, or (with the list full) than the furthest candidate held. Strictly
          // further, so a tie, which the driver id decides, is never skipped.
          double bound = cellBounds[c];
          if (bound > reachMetres) {
            continue;
          }
          if (out.full()) {
            if (out.worstChord2() != worstChord2) {
              worstChord2 = out.worstChord2();
              worstMetres = Sphere.exactMetres(worstChord2);
            }
            if (bound > worstMetres) {
              continue;
            }
          }
        }
        examined += n;
        double[] p = cell.positions;
        Driver[] drivers = cell.drivers;
        for (int i = 0, j = 0; i < n; i++, j += DriverIndex.STRIDE) {
          double c2 = Sphere.chord2(x, y, z, p[j], p[j + 1], p[j + 2]);
          if (out.wants(c2)) {
            out.consider(drivers[i], c2, k, p[j + 3] != 0);
          }
        }
      }
      out.driversExamined = examined;
      if (seen >= total || k >= maxRing) {
        return;
      }
      // First the quick bound, from one number: past the reach, or no nearer than the furthest
      // candidate, and the next ring need not be read at all.
      double quick = geometry.quickDistanceBeyond(k, offCentre);
      if (quick > reachMetres) {
        return;
      }
      if (out.full()) {
        if (out.worstChord2() != worstChord2) {
          worstChord2 = out.worstChord2();
          worstMetres = Sphere.exactMetres(worstChord2);
        }
        if (worstMetres <= quick) {
          return;
        }
      }
      if (cellBounds.length < area.geometry.ringSize(k + 1)) {
        cellBounds = new double[2 * area.geometry.ringSize(k + 1)];
      }
      double beyond = area.geometry.distanceBeyond(k, x, y, z, cellBounds);
      bounded = true;
      if (beyond > reachMetres) {
        return;
      }
      if (out.full() && out.worstChord2() <= Sphere.chord2OfMetres(beyond)) {
        return;
      }
    }
  }
}
