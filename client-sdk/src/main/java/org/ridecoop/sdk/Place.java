package org.ridecoop.sdk;

/**
 * A point on the map (WGS84 degrees): a pickup or a drop-off.
 *
 * @param lat latitude, -90..90
 * @param lng longitude, -180..180
 */
public record Place(double lat, double lng) {
  /** Checks the ranges. */
  public Place {
    if (!(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180)) {
      throw new IllegalArgumentException("not a place: " + lat + ", " + lng);
    }
  }
}
