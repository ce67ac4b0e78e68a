package org.ridecoop.node.bench;

import java.util.SplittableRandom;

/** The Paris bounding box the matching benchmark also uses (about 18 km by 9.6 km). */
final class Paris {
  static final double SOUTH = 48.8156;
  static final double NORTH = 48.9022;
  static final double WEST = 2.2241;
  static final double EAST = 2.4699;

  private Paris() {}

  /** A uniform random point, {lat, lng}. */
  static double[] randomPoint(SplittableRandom random) {
    return new double[] {SOUTH + random.nextDouble() * (NORTH - SOUTH), WEST + random.nextDouble() * (EAST - WEST)};
  }
}
