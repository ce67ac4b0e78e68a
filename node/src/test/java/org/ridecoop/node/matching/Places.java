package org.ridecoop.node.matching;

/** Points in Paris for the tests, placed by metres from a landmark. */
final class Places {

  /** Hôtel de Ville, Paris. */
  static final LatLng HOTEL_DE_VILLE = new LatLng(48.8566, 2.3522);

  /** Bounding box of the city of Paris (inside the périphérique, roughly). */
  static final double SOUTH = 48.8156;
  static final double NORTH = 48.9022;
  static final double WEST = 2.2241;
  static final double EAST = 2.4699;

  private Places() {}

  /** The point {@code north} metres north and {@code east} metres east of {@code from}. */
  static LatLng offset(LatLng from, double north, double east) {
    double dLat = Math.toDegrees(north / Sphere.EARTH_RADIUS_METRES);
    double dLng = Math.toDegrees(
        east / (Sphere.EARTH_RADIUS_METRES * Math.cos(Math.toRadians(from.lat()))));
    return new LatLng(from.lat() + dLat, from.lng() + dLng);
  }

  /** {@code east} metres east of the Hôtel de Ville. */
  static LatLng east(double metres) {
    return offset(HOTEL_DE_VILLE, 0, metres);
  }

  /** A uniformly random point of the Paris box. */
  static LatLng randomInParis(java.util.Random random) {
    return new LatLng(SOUTH + random.nextDouble() * (NORTH - SOUTH),
        WEST + random.nextDouble() * (EAST - WEST));
  }
}
