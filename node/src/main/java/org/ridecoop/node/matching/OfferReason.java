package org.ridecoop.node.matching;

/**
 * Why a driver was chosen for a ride, in figures anyone can check ("offers that say why a driver
 * was chosen", DESIGN.md section 0).
 *
 * @param etaSeconds estimated time for this driver to reach the pickup
 * @param distanceMetres great-circle distance from the driver to the pickup
 * @param ring H3 grid distance between the driver's cell and the pickup cell (0: same cell)
 * @param rank 1 for the ride's nearest free candidate, 2 for the next, and so on
 * @param candidates how many of the ride's nearest free drivers within the ETA cutoff were
 *     considered (at most the configured candidates per ride, or the number of rides in the
 *     window if larger)
 * @param nearestEtaSeconds ETA of the ride's rank-1 candidate (equal to {@code etaSeconds} when
 *     {@code rank == 1})
 * @param competingRides other rides in the same window that wanted some of the same drivers and
 *     were assigned together with this one
 */
public record OfferReason(
    int etaSeconds,
    int distanceMetres,
    int ring,
    int rank,
    int candidates,
    int nearestEtaSeconds,
    int competingRides) {

  /** One sentence for the driver's and the rider's screens. */
  public String describe() {
    StringBuilder s = new StringBuilder()
        .append(clock(etaSeconds)).append(" away (")
        .append(distanceMetres).append(" m, ring ").append(ring).append("); ")
        .append(ordinal(rank)).append(" nearest of the ").append(candidates)
        .append(" free driver").append(candidates == 1 ? "" : "s").append(" considered");
    if (rank > 1) {
      s.append("; the nearest (").append(clock(nearestEtaSeconds))
          .append(") went to another ride of the same window, which keeps the total pickup time")
          .append(" of the ").append(competingRides + 1).append(" rides lowest");
    } else if (competingRides > 0) {
      s.append("; assigned together with ").append(competingRides)
          .append(" other ride").append(competingRides == 1 ? "" : "s")
          .append(" for the lowest total pickup time");
    }
    return s.toString();
  }

  private static String clock(int seconds) {
    return seconds / 60 + " min " + String.format("%02d", seconds % 60) + " s";
  }

  private static String ordinal(int n) {
    if (n % 100 >= 11 && n % 100 <= 13) {
      return n + "th";
    }
    return switch (n % 10) {
      case 1 -> n + "st";
      case 2 -> n + "nd";
      case 3 -> n + "rd";
      default -> n + "th";
    };
  }
}
