package org.ridecoop.node.matching;

/**
 * The default {@link EtaModel}: the straight line lengthened by a road detour factor, driven at an
 * average city speed, rounded up to the second. With the defaults (20 km/h, 130 %) a driver 1 km
 * away is 234 s from the pickup.
 *
 * @param speedKmh average driving speed including stops, km/h, {@code > 0}
 * @param detourPercent road distance as a percentage of the straight line, {@code >= 100}
 */
public record CitySpeedEta(int speedKmh, int detourPercent) implements EtaModel {

  /** 20 km/h average (dense-city traffic) and roads 30 % longer than the straight line. */
  public static final CitySpeedEta DEFAULT = new CitySpeedEta(20, 130);

  /** Rejects a non-positive speed and a detour below 100 %. */
  public CitySpeedEta {
    if (speedKmh <= 0) {
      throw new IllegalArgumentException("speed must be positive: " + speedKmh + " km/h");
    }
    if (detourPercent < 100) {
      throw new IllegalArgumentException("detour below 100 %: " + detourPercent);
    }
  }

  @Override
  public int etaSeconds(int metres) {
    // seconds = metres * detour/100 / (speed * 1000/3600), in integers, rounded up.
    long numerator = (long) metres * detourPercent * 36;
    long denominator = (long) speedKmh * 1000;
    return (int) ((numerator + denominator - 1) / denominator);
  }
}
