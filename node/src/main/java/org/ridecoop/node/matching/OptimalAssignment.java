package org.ridecoop.node.matching;

import java.util.Arrays;

/**
 * Minimum total pickup time: serves as many rides as possible, and among those assignments the one
 * whose pickup times add up to the least.
 *
 * <p>The rectangular assignment problem is solved by the Hungarian method in its shortest
 * augmenting path form (Jonker-Volgenant style potentials; O(n²·m) for n rides and m drivers). To
 * let a ride go unserved, one "no driver" column per ride is added at a cost larger than any
 * n pickup times together, so an extra ride served always beats any saving in seconds; pairs
 * beyond the ETA cutoff are never proposed to it. Windows are small (the rides competing for the
 * same drivers), so the cubic bound does not bite.
 */
public final class OptimalAssignment implements AssignmentPolicy {

  private static final long FORBIDDEN = Long.MAX_VALUE / 4;

  @Override
  public int[] assign(int[][] seconds) {
    int n = seconds.length;
    int[] chosen = new int[n];
    Arrays.fill(chosen, -1);
    if (n == 0) {
      return chosen;
    }
    int m = seconds[0].length;
    long maxSeconds = 0;
    for (int[] row : seconds) {
      for (int s : row) {
        maxSeconds = Math.max(maxSeconds, s);
      }
    }
    long noDriver = (maxSeconds + 1) * (n + 1);
    int cols = m + n;

    // 1-based arrays as in the textbook formulation; column 0 is the virtual start.
    long[] u = new long[n + 1];
    long[] v = new long[cols + 1];
    int[] rowOfCol = new int[cols + 1];
    int[] way = new int[cols + 1];
    long[] minv = new long[cols + 1];
    boolean[] used = new boolean[cols + 1];
    for (int i = 1; i <= n; i++) {
      rowOfCol[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Long.MAX_VALUE);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = rowOfCol[j0];
        long delta = Long.MAX_VALUE;
        int j1 = 0;
        int[] row = seconds[i0 - 1];
        for (int j = 1; j <= cols; j++) {
          if (used[j]) {
            continue;
          }
          long cost;
          if (j <= m) {
            cost = row[j - 1] == NO_PAIR ? FORBIDDEN : row[j - 1];
          } else {
            cost = noDriver;
          }
          long cur = cost - u[i0] - v[j];
          if (cur < minv[j]) {
            minv[j] = cur;
            way[j] = j0;
          }
          if (minv[j] < delta) {
            delta = minv[j];
            j1 = j;
          }
        }
        for (int j = 0; j <= cols; j++) {
          if (used[j]) {
            u[rowOfCol[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (rowOfCol[j0] != 0);
      do {
        int j1 = way[j0];
        rowOfCol[j0] = rowOfCol[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    for (int j = 1; j <= m; j++) {
      int i = rowOfCol[j];
      if (i != 0 && seconds[i - 1][j - 1] != NO_PAIR) {
        chosen[i - 1] = j - 1;
      }
    }
    return chosen;
  }
}
