package org.ridecoop.node.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CellGridTest {

  @Test
  void locatesPointsInTheSameCellAsH3WithoutCallingItEachTime() {
    for (int resolution : new int[] {7, 8, 9, 10}) {
      CellGrid grid = new CellGrid(resolution);
      Random random = new Random(resolution);
      long previous = 0;
      for (int i = 0; i < 15_000; i++) {
        // Half the points in Paris (the cached path), half anywhere on Earth (the cold path),
        // and a walk that uses the previous cell as the hint, as a moving driver does.
        LatLng p = switch (i % 3) {
          case 0 -> Places.randomInParis(random);
          case 1 -> new LatLng(random.nextDouble() * 170 - 85, random.nextDouble() * 360 - 180);
          default -> Places.offset(Places.HOTEL_DE_VILLE, random.nextGaussian() * 2000,
              random.nextGaussian() * 2000);
        };
        double[] u = Sphere.unit(p);
        long located = grid.locate(p.lat(), p.lng(), u[0], u[1], u[2], i % 3 == 2 ? previous : 0);
        long expected = grid.cellOf(p.lat(), p.lng());
        if (located != expected) {
          // Only a point on the shared edge may go to the neighbour: it must lie in both.
          assertThat(grid.shape(located).contains(u[0], u[1], u[2])).isTrue();
          assertThat(grid.gridDistance(located, expected)).isEqualTo(1);
        }
        previous = located;
      }
    }
  }

  @Test
  void aCellContainsItsCentreButNotItsNeighboursCentres() {
    CellGrid grid = new CellGrid(9);
    long cell = grid.cellOf(48.8566, 2.3522);
    CellGrid.Shape shape = grid.shape(cell);
    assertThat(shape.contains(shape.x, shape.y, shape.z)).isTrue();
    assertThat(shape.neighbours()).hasSize(6);
    for (CellGrid.Shape n : shape.neighbours()) {
      assertThat(shape.contains(n.x, n.y, n.z)).isFalse();
      assertThat(n.contains(n.x, n.y, n.z)).isTrue();
    }
  }
}
