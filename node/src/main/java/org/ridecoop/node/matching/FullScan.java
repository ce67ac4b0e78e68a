package org.ridecoop.node.matching;

import org.ridecoop.node.matching.DriverIndex.Driver;

/**
 * Ranks every online driver: the naive search, kept as the oracle that {@link RingSearch} must
 * agree with and as the baseline of the benchmark. Not used in production.
 */
final class FullScan implements CandidateSearch {

  private final DriverIndex index;
  private final boolean reportRings;

  /**
   * @param reportRings whether to compute each candidate's ring (H3 grid distance) as the ring
   *     search reports it; the benchmark leaves it off so the baseline pays only for the scan
   */
  FullScan(DriverIndex index, boolean reportRings) {
    this.index = index;
    this.reportRings = reportRings;
  }

  @Override
  public void find(double[] pickup, long pickupCell, Candidates out) {
    double x = pickup[0];
    double y = pickup[1];
    double z = pickup[2];
    for (Driver d : index.all()) {
      if (d.home == null) {
        continue; // on a ride
      }
      out.consider(d, Sphere.chord2(x, y, z, d.x, d.y, d.z), -1, d.reservedFor != null);
    }
    out.driversExamined = index.size();
    if (!reportRings) {
      return;
    }
    for (int i = 0; i < out.size; i++) {
      out.rings[i] = index.grid().gridDistance(pickupCell, out.drivers[i].cell);
    }
  }
}
