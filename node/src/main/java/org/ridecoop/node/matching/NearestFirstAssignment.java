package org.ridecoop.node.matching;

import java.util.Arrays;

/**
 * Greedy nearest-first: rides in arrival order each take their nearest driver still free. It is
 * what a dispatcher without batching does; it can leave a later ride with a far driver when
 * swapping two drivers would cut the total wait (see {@code BatchAssignmentTest}).
 */
public final class NearestFirstAssignment implements AssignmentPolicy {

  @Override
  public int[] assign(int[][] seconds) {
    int rows = seconds.length;
    int cols = rows == 0 ? 0 : seconds[0].length;
    int[] chosen = new int[rows];
    Arrays.fill(chosen, -1);
    boolean[] taken = new boolean[cols];
    for (int r = 0; r < rows; r++) {
      int best = -1;
      for (int c = 0; c < cols; c++) {
        int s = seconds[r][c];
        if (s != NO_PAIR && !taken[c] && (best < 0 || s < seconds[r][best])) {
          best = c;
        }
      }
      if (best >= 0) {
        taken[best] = true;
        chosen[r] = best;
      }
    }
    return chosen;
  }
}
