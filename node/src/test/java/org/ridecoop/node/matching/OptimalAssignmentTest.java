package org.ridecoop.node.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OptimalAssignmentTest {

  private static final int X = AssignmentPolicy.NO_PAIR;
  private final OptimalAssignment optimal = new OptimalAssignment();
  private final NearestFirstAssignment greedy = new NearestFirstAssignment();

  @Test
  void swapsDriversWhenThatCutsTheTotal() {
    // Uber's example: greedy gives 2 + 9 minutes, the batch 4 + 4.
    int[][] minutes = {{2, 4}, {4, 9}};
    assertThat(greedy.assign(minutes)).containsExactly(0, 1);
    assertThat(optimal.assign(minutes)).containsExactly(1, 0);
  }

  @Test
  void servesAsManyRidesAsPossibleBeforeMinimisingTime() {
    // Ride 0 could take driver 0 at 1 s, but then ride 1 (only driver 0 in reach) is unserved.
    int[][] seconds = {{1, 500}, {10, X}};
    assertThat(optimal.assign(seconds)).containsExactly(1, 0);
  }

  @Test
  void moreRidesThanDriversLeavesTheCostliestUnserved() {
    int[][] seconds = {{30}, {10}, {20}};
    assertThat(optimal.assign(seconds)).containsExactly(-1, 0, -1);
  }

  @Test
  void ridesWithoutCandidatesStayUnserved() {
    int[][] seconds = {{X, X}, {5, X}};
    assertThat(optimal.assign(seconds)).containsExactly(-1, 0);
    assertThat(optimal.assign(new int[0][])).isEmpty();
  }

  @Test
  void agreesWithBruteForceOnRandomRectangularProblems() {
    Random random = new Random(42);
    for (int trial = 0; trial < 3000; trial++) {
      int rows = 1 + random.nextInt(6);
      int cols = 1 + random.nextInt(6);
      int[][] s = new int[rows][cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          s[r][c] = random.nextInt(4) == 0 ? X : random.nextInt(900);
        }
      }
      long[] best = bruteForce(s, 0, new boolean[cols], 0, 0);
      int[] chosen = optimal.assign(s);
      assertThat(score(s, chosen)).as("trial %d", trial).containsExactly(best);
      long[] greedyScore = score(s, greedy.assign(s));
      // Greedy never beats the optimum (more served, or as many and less time).
      assertThat(greedyScore[0] < best[0] || greedyScore[0] == best[0] && greedyScore[1] >= best[1])
          .isTrue();
    }
  }

  /** {served, total seconds} of an assignment, checking it is one driver per ride at most. */
  private static long[] score(int[][] s, int[] chosen) {
    boolean[] used = new boolean[s.length == 0 ? 0 : s[0].length];
    long served = 0;
    long total = 0;
    for (int r = 0; r < s.length; r++) {
      if (chosen[r] >= 0) {
        assertThat(used[chosen[r]]).isFalse();
        assertThat(s[r][chosen[r]]).isNotEqualTo(X);
        used[chosen[r]] = true;
        served++;
        total += s[r][chosen[r]];
      }
    }
    return new long[] {served, total};
  }

  /** Best {served, total} over every assignment (lexicographic: more served, then less time). */
  private static long[] bruteForce(int[][] s, int row, boolean[] used, long served, long total) {
    if (row == s.length) {
      return new long[] {served, total};
    }
    long[] best = bruteForce(s, row + 1, used, served, total);
    for (int c = 0; c < used.length; c++) {
      if (!used[c] && s[row][c] != X) {
        used[c] = true;
        long[] r = bruteForce(s, row + 1, used, served + 1, total + s[row][c]);
        used[c] = false;
        if (r[0] > best[0] || r[0] == best[0] && r[1] < best[1]) {
          best = r;
        }
      }
    }
    return best;
  }
}
