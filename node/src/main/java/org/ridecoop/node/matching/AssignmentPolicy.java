package org.ridecoop.node.matching;

/**
 * Decides which driver each ride of a window is offered, given the pickup times of every
 * (ride, candidate driver) pair. {@link OptimalAssignment} is the engine's default;
 * {@link NearestFirstAssignment} is the greedy rule it improves on, kept for comparison.
 */
public interface AssignmentPolicy {

  /** Marks a pair that may not be assigned (the driver is not a candidate of that ride). */
  int NO_PAIR = -1;

  /**
   * Assigns drivers (columns) to rides (rows), each driver to at most one ride.
   *
   * @param seconds {@code seconds[ride][driver]}: pickup ETA in seconds, or {@link #NO_PAIR};
   *     rows are in arrival order; every row has the same length
   * @return for each ride, the index of its driver, or -1 for none
   */
  int[] assign(int[][] seconds);
}
