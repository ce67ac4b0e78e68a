package org.ridecoop.node.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DriverIndexTest {

  private static final int REACH_METRES = 3846;

  @Test
  void emptyCellsAreDroppedInBulkAndSearchesStillSeeEveryDriver() {
    DriverIndex index = new DriverIndex(new CellGrid(9));
    RingSearch rings = new RingSearch(index, 60, REACH_METRES);
    DriverId wanderer = new DriverId("wanderer");
    DriverId local = new DriverId("local");
    index.place(local, Places.east(400));
    Random random = new Random(5);
    // A driver hopping around the world leaves an empty cell behind at every hop, and searches
    // in between make areas whose cells (empty ones included) the index must keep valid.
    for (int hop = 0; hop < 40_000; hop++) {
      index.place(wanderer,
          new LatLng(random.nextDouble() * 120 - 60, random.nextDouble() * 360 - 180));
      if (hop < 3_000 && hop % 1_000 == 0) {
        assertThat(nearest(index, rings, Places.HOTEL_DE_VILLE)).isEqualTo("local");
      }
    }
    assertThat(index.heldCells()).isGreaterThan(32_768);
    // The next search drops the empty cells and the areas that referred to them...
    assertThat(nearest(index, rings, Places.HOTEL_DE_VILLE)).isEqualTo("local");
    assertThat(index.heldCells()).isLessThan(1_000);
    assertThat(index.occupiedCells()).isEqualTo(2);
    // ...and drivers arriving in cells that areas knew empty are found.
    index.place(wanderer, Places.east(100));
    assertThat(nearest(index, rings, Places.HOTEL_DE_VILLE)).isEqualTo("wanderer");
    index.remove(wanderer);
    assertThat(nearest(index, rings, Places.HOTEL_DE_VILLE)).isEqualTo("local");
    assertThat(index.size()).isEqualTo(1);
  }

  private static String nearest(DriverIndex index, RingSearch rings, LatLng pickup) {
    Candidates c = new Candidates(1, Sphere.chord2OfMetres(REACH_METRES), null);
    rings.find(Sphere.unit(pickup), index.grid().cellOf(pickup.lat(), pickup.lng()), c);
    return c.size == 0 ? null : c.drivers[0].id.value();
  }
}
