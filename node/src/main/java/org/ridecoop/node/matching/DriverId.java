package org.ridecoop.node.matching;

/**
 * Identifies a driver to the matching engine (the node maps it to the driver's member account).
 *
 * @param value a non-blank identifier
 */
public record DriverId(String value) {

  /** Rejects null and blank identifiers. */
  public DriverId {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("driver id must not be blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
