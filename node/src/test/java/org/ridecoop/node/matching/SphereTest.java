package org.ridecoop.node.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SphereTest {

  private static double byAsin(double chord2) {
    return 2 * Sphere.EARTH_RADIUS_METRES * Math.asin(Math.min(1.0, Math.sqrt(chord2) / 2));
  }

  @Test
  void distancesFromChordsAgreeWithTheArcSineToTheLastBits() {
    Random random = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      // Log-uniform from a centimetre to half the Earth, so both sides of the series' limit and
      // the limit itself are covered densely.
      double metres = Math.pow(10, -2 + random.nextDouble() * 9.3);
      double chord2 = Sphere.chord2OfMetres(metres);
      double expected = byAsin(chord2);
      assertThat(Sphere.exactMetres(chord2)).as("%s m", metres)
          .isCloseTo(expected, within(Math.ulp(expected) * 4));
      assertThat(Sphere.metres(chord2)).isEqualTo((int) Math.round(expected));
    }
    assertThat(Sphere.exactMetres(0)).isZero();
  }
}
