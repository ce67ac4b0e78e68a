package org.ridecoop.node.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RingSearchTest {

  private static final int REACH_METRES = 3846; // 900 s with the default ETA model

  private final DriverIndex index = new DriverIndex(new CellGrid(9));
  private final RingSearch rings = new RingSearch(index, 60, REACH_METRES);
  private final FullScan scan = new FullScan(index, true);

  private Candidates find(CandidateSearch search, LatLng pickup, int wanted) {
    Candidates c = new Candidates(wanted, Sphere.chord2OfMetres(REACH_METRES), null);
    search.find(Sphere.unit(pickup), index.grid().cellOf(pickup.lat(), pickup.lng()), c);
    return c.finish(CitySpeedEta.DEFAULT, 900);
  }

  @Test
  void findsADriverInTheNextCellWhenItIsNearerThanOneInThePickupCell() {
    CellGrid grid = index.grid();
    LatLng pickup = Places.HOTEL_DE_VILLE;
    long pickupCell = grid.cellOf(pickup.lat(), pickup.lng());
    // Walk east until the next cell starts: the first point across the border is in ring 1 and a
    // few metres from it, while a driver in the pickup cell sits further west.
    LatLng across = null;
    for (int m = 1; m < 1000; m++) {
      LatLng p = Places.east(m);
      if (grid.cellOf(p.lat(), p.lng()) != pickupCell) {
        across = Places.east(m + 2);
        break;
      }
    }
    assertThat(across).isNotNull();
    // The pickup itself sits near the border: the last point east still in the pickup cell.
    LatLng nearBorder = Places.offset(across, 0, -6);
    assertThat(grid.cellOf(nearBorder.lat(), nearBorder.lng())).isEqualTo(pickupCell);
    LatLng sameCellFurther = Places.offset(nearBorder, 0, -60);
    assertThat(grid.cellOf(sameCellFurther.lat(), sameCellFurther.lng())).isEqualTo(pickupCell);

    index.place(new DriverId("same-cell"), sameCellFurther);
    index.place(new DriverId("next-cell"), across);

    Candidates found = find(rings, nearBorder, 1);
    assertThat(found.size).isEqualTo(1);
    assertThat(found.drivers[0].id.value()).isEqualTo("next-cell");
    assertThat(found.rings[0]).isEqualTo(1);
    assertThat(found.metres[0]).isBetween(6, 10);
  }

  @Test
  void ranksByDistanceWithRingsReported() {
    for (int m : new int[] {900, 100, 2500, 400}) {
      index.place(new DriverId("d" + m), Places.east(m));
    }
    Candidates found = find(rings, Places.HOTEL_DE_VILLE, 3);
    assertThat(found.size).isEqualTo(3);
    assertThat(found.drivers[0].id.value()).isEqualTo("d100");
    assertThat(found.drivers[1].id.value()).isEqualTo("d400");
    assertThat(found.drivers[2].id.value()).isEqualTo("d900");
    assertThat(found.metres).containsExactly(100, 400, 900);
    assertThat(found.rings[0]).isLessThanOrEqualTo(found.rings[2]);
    assertThat(found.seconds[2]).isEqualTo(CitySpeedEta.DEFAULT.etaSeconds(900));
  }

  @Test
  void agreesExactlyWithAFullScanOnRandomParis() {
    Random random = new Random(7);
    // Uniform drivers plus a dense cluster at the Gare du Nord, to vary the density.
    for (int i = 0; i < 3000; i++) {
      index.place(new DriverId("u" + i), Places.randomInParis(random));
    }
    LatLng gareDuNord = new LatLng(48.8809, 2.3553);
    for (int i = 0; i < 500; i++) {
      index.place(new DriverId("c" + i),
          Places.offset(gareDuNord, random.nextGaussian() * 150, random.nextGaussian() * 150));
    }
    for (int trial = 0; trial < 1500; trial++) {
      LatLng pickup = trial % 10 == 0
          // Some pickups outside the box: the search must reach across empty cells.
          ? Places.offset(Places.HOTEL_DE_VILLE, (random.nextDouble() - 0.5) * 20_000,
              (random.nextDouble() - 0.5) * 30_000)
          : Places.randomInParis(random);
      int wanted = 1 + random.nextInt(16);
      Candidates byRings = find(rings, pickup, wanted);
      Candidates byScan = find(scan, pickup, wanted);
      assertThat(byRings.size).as("trial %d", trial).isEqualTo(byScan.size);
      for (int k = 0; k < byScan.size; k++) {
        assertThat(byRings.drivers[k]).as("trial %d rank %d", trial, k)
            .isSameAs(byScan.drivers[k]);
        assertThat(byRings.rings[k]).isEqualTo(byScan.rings[k]);
      }
    }
  }

  @Test
  void emptyIndexFindsNobody() {
    assertThat(find(rings, Places.HOTEL_DE_VILLE, 8).size).isZero();
  }

  @Test
  void driversBeyondTheEtaCutoffAreNotCandidates() {
    index.place(new DriverId("far"), Places.east(REACH_METRES + 50));
    index.place(new DriverId("lyon"), new LatLng(45.764, 4.8357));
    assertThat(find(rings, Places.HOTEL_DE_VILLE, 8).size).isZero();
    assertThat(find(scan, Places.HOTEL_DE_VILLE, 8).size).isZero();
  }

  @Test
  void movingAcrossCellsIsBookkeptAndEmptyCellsAreDropped() {
    DriverId id = new DriverId("mover");
    index.place(id, Places.HOTEL_DE_VILLE);
    long first = index.get(id).cell;
    assertThat(index.occupiedCells()).isEqualTo(1);
    index.place(id, Places.east(3000));
    assertThat(index.get(id).cell).isNotEqualTo(first);
    assertThat(index.cell(first)).isNull();
    assertThat(index.occupiedCells()).isEqualTo(1);
    index.place(new DriverId("other"), Places.east(3001));
    index.remove(id);
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.cell(index.get(new DriverId("other")).cell).size).isEqualTo(1);
  }

  @Test
  void theFirstRingIsThePickupCellAlone() {
    long cell = index.grid().cellOf(48.8566, 2.3522);
    assertThat(index.grid().around(cell).ring(0)).containsExactly(cell);
    assertThat(index.grid().around(cell).ring(1)).hasSize(6);
    assertThat(index.grid().around(cell).ring(2)).hasSize(12);
  }
}
