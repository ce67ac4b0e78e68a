package org.ridecoop.node.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CitySpeedEtaTest {

  @Test
  void oneKilometreAtTwentyKmhWithThirtyPercentDetourIs234Seconds() {
    // 1300 m of road at 5.556 m/s = 234 s.
    assertThat(CitySpeedEta.DEFAULT.etaSeconds(1000)).isEqualTo(234);
    assertThat(CitySpeedEta.DEFAULT.etaSeconds(0)).isZero();
    assertThat(new CitySpeedEta(36, 100).etaSeconds(10)).isEqualTo(1);
    assertThat(new CitySpeedEta(36, 100).etaSeconds(11)).isEqualTo(2);
  }

  @Test
  void neverDecreasesWithDistance() {
    int previous = 0;
    for (int m = 0; m < 50_000; m += 7) {
      int s = CitySpeedEta.DEFAULT.etaSeconds(m);
      assertThat(s).isGreaterThanOrEqualTo(previous);
      previous = s;
    }
  }

  @Test
  void rejectsImpossibleSpeedsAndDetours() {
    assertThatThrownBy(() -> new CitySpeedEta(0, 130)).hasMessageContaining("speed");
    assertThatThrownBy(() -> new CitySpeedEta(20, 99)).hasMessageContaining("detour");
  }

  @Test
  void latLngDistanceMatchesTheOffsetsUsedInTests() {
    assertThat(Places.HOTEL_DE_VILLE.metresTo(Places.east(1000))).isBetween(999, 1001);
    assertThat(Places.HOTEL_DE_VILLE.metresTo(Places.offset(Places.HOTEL_DE_VILLE, 2500, 0)))
        .isBetween(2499, 2501);
  }
}
