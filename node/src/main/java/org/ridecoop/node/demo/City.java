package org.ridecoop.node.demo;

import java.util.Random;
import org.ridecoop.node.matching.LatLng;

/**
 * Where the demo's people live: a bounding box, a city driving speed and the detour factor that
 * turns a great-circle distance into a street route.
 *
 * @param name city name
 * @param south southern edge (degrees)
 * @param west western edge
 * @param north northern edge
 * @param east eastern edge
 * @param speedKmh average driving speed in town
 * @param detour street route length / great-circle distance
 */
public record City(String name, double south, double west, double north, double east, int speedKmh, double detour) {

  /** Paris inside the périphérique: 20 km/h on average, routes 1.3 × the straight line. */
  public static final City PARIS = new City("Paris", 48.816, 2.255, 48.902, 2.415, 20, 1.3);

  /** A uniformly random point of the box. */
  public LatLng randomPoint(Random random) {
    return new LatLng(south + random.nextDouble() * (north - south), west + random.nextDouble() * (east - west));
  }

  /** {@code from} moved by up to {@code metres} in a random direction, kept inside the box. */
  public LatLng drift(LatLng from, int metres, Random random) {
    double d = random.nextDouble() * metres;
    double bearing = random.nextDouble() * 2 * Math.PI;
    double lat = from.lat() + d * Math.cos(bearing) / 111_320.0;
    double lng = from.lng() + d * Math.sin(bearing) / (111_320.0 * Math.cos(Math.toRadians(from.lat())));
    return new LatLng(Math.clamp(lat, south, north), Math.clamp(lng, west, east));
  }

  /** Length of the street route between two points, in metres. */
  public long routeMetres(LatLng a, LatLng b) {
    return Math.round(a.metresTo(b) * detour);
  }

  /** Seconds to drive {@code metres} at the city speed. */
  public long seconds(long metres) {
    return Math.round(metres * 3.6 / speedKmh);
  }
}
