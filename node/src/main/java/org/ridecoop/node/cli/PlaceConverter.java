package org.ridecoop.node.cli;

import org.ridecoop.sdk.Place;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a place as {@code LAT,LNG} in degrees, e.g. {@code 48.8566,2.3522}. */
final class PlaceConverter implements ITypeConverter<Place> {
  @Override
  public Place convert(String value) {
    String[] parts = value.split(",", -1);
    if (parts.length != 2) {
      throw new TypeConversionException("'" + value + "' is not LAT,LNG in degrees (e.g. 48.8566,2.3522)");
    }
    try {
      return new Place(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not LAT,LNG in degrees (e.g. 48.8566,2.3522)");
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "' is off the map: latitude -90..90, longitude -180..180");
    }
  }
}
