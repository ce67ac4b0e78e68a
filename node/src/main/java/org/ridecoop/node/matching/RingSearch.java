package org.ridecoop.node.matching;

import org.ridecoop.node.matching.DriverIndex.Cell;

/**
 * Searches the driver index ring by ring outward from the pickup cell.
 *
 * <p>It stops after ring k as soon as no driver outside rings 0..k can beat the candidates held:
 * when it holds enough candidates and the furthest of them is no further than the lower bound on
 * the distance to anything beyond ring k ({@link CellGrid.Neighbourhood#distanceBeyond}). It also
 * stops when that bound is past the ETA cutoff, when every online driver has been seen, or at the
 * configured maximum ring. The result is therefore exactly what a scan of all drivers would give,
 * at the cost of the few cells around the pickup.
 */
final class RingSearch implements CandidateSearch {

  private final DriverIndex index;
  private final int maxRing;
  private final double reachMetres;

  RingSearch(DriverIndex index, int maxRing, double reachMetres) {
    this.index = index;
    this.maxRing = maxRing;
    this.reachMetres = reachMetres;
  }

  @Override
  public void find(double[] pickup, long pickupCell, Candidates out) {
    double x = pickup[0];
    double y = pickup[1];
    double z = pickup[2];
    DriverIndex.Area area = index.area(pickupCell);
    int total = index.size();
    int seen = 0;
    for (int k = 0; total > 0; k++) {
      Cell[] ring = area.ring(k);
      out.ringsSearched = k + 1;
      out.cellsVisited += ring.length;
      for (Cell cell : ring) {
        int n = cell.size;
        if (n == 0) {
          continue;
        }
        double[] p = cell.positions;
        for (int i = 0, j = 0; i < n; i++, j += DriverIndex.STRIDE) {
          double c2 = Sphere.chord2(x, y, z, p[j], p[j + 1], p[j + 2]);
          if (out.wants(c2)) {
            out.consider(cell.drivers[i], c2, k, p[j + 3] != 0);
          }
        }
        seen += n;
      }
      out.driversExamined = seen;
      if (seen >= total || k >= maxRing) {
        return;
      }
      double beyond = area.geometry.distanceBeyond(k, x, y, z);
      if (beyond > reachMetres) {
        return;
      }
      if (out.full() && out.worstChord2() <= Sphere.chord2OfMetres(beyond)) {
        return;
      }
    }
  }
}
