package org.ridecoop.node.matching;

/**
 * Finds the nearest free drivers for a pickup. {@link RingSearch} is the one the engine uses;
 * {@link FullScan} ranks every online driver the same way and serves as the test oracle and the
 * benchmark baseline.
 */
interface CandidateSearch {

  /**
   * Fills {@code out} with the nearest eligible drivers, nearest first.
   *
   * @param pickup unit vector of the pickup point
   * @param pickupCell H3 cell of the pickup at the index resolution
   * @param out the collector, which knows how many to keep and whom to skip
   */
  void find(double[] pickup, long pickupCell, Candidates out);

  /** As {@link #find(double[], long, Candidates)}, given the pickup cell's shape. */
  default void find(double[] pickup, CellGrid.Shape pickupCell, Candidates out) {
    find(pickup, pickupCell.cell, out);
  }
}
