package org.ridecoop.node.matching;

/**
 * Identifies a ride request (the node uses the hash of the rider's signed request).
 *
 * @param value a non-blank identifier
 */
public record RideId(String value) {

  /** Rejects null and blank identifiers. */
  public RideId {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("ride id must not be blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
