package org.ridecoop.node.matching;

/**
 * Geometry on the Earth as a sphere, done with unit vectors so the hot loop of the driver search
 * needs no trigonometry: the squared chord between two unit vectors orders points exactly as the
 * great-circle distance does, and is three subtractions and three multiplications.
 */
final class Sphere {

  /** IUGG mean Earth radius, the radius H3 uses too. */
  static final double EARTH_RADIUS_METRES = 6_371_007.180918475;

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
    return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1.0, half));
  }

  /** Squared chord of a great-circle distance in metres; inverse of {@link #exactMetres}. */
  static double chord2OfMetres(double metres) {
    double angle = Math.min(Math.PI, metres / EARTH_RADIUS_METRES);
    double chord = 2 * Math.sin(angle / 2);
    return chord * chord;
  }
}
