package org.ridecoop.node.matching;

/**
 * A point on the Earth in decimal degrees (WGS 84), as a phone reports it.
 *
 * <p>Exact points stay inside the node that matches the ride (see DESIGN.md, privacy): they are
 * never written to the chain.
 *
 * @param lat latitude, -90..90
 * @param lng longitude, -180..180
 */
public record LatLng(double lat, double lng) {

  /** Rejects coordinates outside the valid ranges and NaN. */
  public LatLng {
    if (!(lat >= -90 && lat <= 90)) {
      throw new IllegalArgumentException("latitude out of range: " + lat);
    }
    if (!(lng >= -180 && lng <= 180)) {
      throw new IllegalArgumentException("longitude out of range: " + lng);
    }
  }

  /**
   * Great-circle distance to another point, in whole metres (rounded to nearest).
   *
   * @param other the other point
   * @return the distance in metres on a sphere of the Earth's mean radius
   */
  public int metresTo(LatLng other) {
    return Sphere.metres(Sphere.chord2(Sphere.unit(this), Sphere.unit(other)));
  }
}
