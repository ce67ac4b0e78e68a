package org.ridecoop.node.matching;

/**
 * Geometry on the Earth as a sphere, done with unit vectors so the hot loop of the driver search
 * needs no trigonometry: the squared chord between two unit vectors orders points exactly as the
 * great-circle distance does, and is three subtractions and three multiplications.
 */
final class Sphere {

  /** IUGG mean Earth radius, the radius H3 uses too. */
  static final double EARTH_RADIUS_METRES = 6_371_007.180918475;

  /** Half-chords below this (distances under about 100 km) take the series in {@link
   * #exactMetres}. */
  private static final double SERIES_LIMIT = 0x1p-7;

  private Sphere() {}

  /** Unit vector {x, y, z} of a point given in degrees. */
  static double[] unit(double latDeg, double lngDeg) {
    double lat = Math.toRadians(latDeg);
    double lng = Math.toRadians(lngDeg);
    double cosLat = Math.cos(lat);
    return new double[] {cosLat * Math.cos(lng), cosLat * Math.sin(lng), Math.sin(lat)};
  }

  static double[] unit(LatLng p) {
    return unit(p.lat(), p.lng());
  }

  static double chord2(double[] a, double[] b) {
    return chord2(a[0], a[1], a[2], b[0], b[1], b[2]);
  }

  static double chord2(double ax, double ay, double az, double bx, double by, double bz) {
    double dx = ax - bx;
    double dy = ay - by;
    double dz = az - bz;
    return dx * dx + dy * dy + dz * dz;
  }

  /** Great-circle metres (rounded) from a squared chord of unit vectors. */
  static int metres(double chord2) {
    return (int) Math.round(exactMetres(chord2));
  }

  static double exactMetres(double chord2) {
    double half = Math.sqrt(chord2) / 2;
    if (half < SERIES_LIMIT) {
      // Math.asin is not a JIT intrinsic (it runs StrictMath's software routine, a tenth of a
      // microsecond), and the search asks for a few distances per ride, all short: there the
      // Taylor series of asin, to the h^9 term, is exact to the last bit of a double (the next
      // term is below 1e-22 of the result).
      double h2 = half * half;
      double asin = half * (1 + h2 * (1.0 / 6 + h2 * (3.0 / 40 + h2 * (5.0 / 112
          + h2 * (35.0 / 1152)))));
      return 2 * EARTH_RADIUS_METRES * asin;
    }
    return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1.0, half));
  }

  /** Squared chord of a great-circle distance in metres; inverse of {@link #exactMetres}. */
  static double chord2OfMetres(double metres) {
    double angle = Math.min(Math.PI, metres / EARTH_RADIUS_METRES);
    double chord = 2 * Math.sin(angle / 2);
    return chord * chord;
  }
}
