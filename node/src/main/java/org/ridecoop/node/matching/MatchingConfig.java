package org.ridecoop.node.matching;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the {@link MatchingEngine}.
 *
 * @param h3Resolution H3 resolution of the driver index. The default, 9 (cells of 0.105 km², edge
 *     about 200 m), keeps a request's search to the pickup cell and its six neighbours at urban
 *     densities of 10 to 500 online drivers per km² (a few per cell), while sparse areas cost a few
 *     more rings of cheap cell look-ups. Resolution 8 (0.74 km²) puts 8 times as many drivers in
 *     each cell, all of which must be ranked; see BENCHMARKS.md.
 * @param window how long requests gather before they are assigned together; the caller closes
 *     windows at this period ({@link MatchingEngine#closeWindow}). 100 to 500 ms is invisible to a
 *     rider and long enough for concurrent requests to share one assignment.
 * @param candidatesPerRide how many of its nearest free drivers a ride keeps as candidates (and
 *     its offer reports its rank among); a lone ride needs only its nearest, so this is small
 * @param maxCandidatesPerRide in a window with more rides than {@code candidatesPerRide}, each ride
 *     keeps as many candidates as there are rides, up to this cap: with at least as many candidates
 *     as rides, restricting the assignment to candidates loses nothing
 * @param maxEtaSeconds drivers further than this are not candidates ("no local driver" beyond)
 * @param maxRing hard cap on the number of rings searched around the pickup cell
 * @param offerTimeout how long a driver has to answer an offer before it is withdrawn
 * @param maxOffersPerRide after this many offers declined or timed out, the ride is given up to the
 *     federation layer
 */
public record MatchingConfig(
    int h3Resolution,
    Duration window,
    int candidatesPerRide,
    int maxCandidatesPerRide,
    int maxEtaSeconds,
    int maxRing,
    Duration offerTimeout,
    int maxOffersPerRide) {

  /** Resolution 9, 250 ms windows, 4 candidates (up to 32), 15 min cutoff, 15 s to answer. */
  public static final MatchingConfig DEFAULT =
      new MatchingConfig(9, Duration.ofMillis(250), 4, 32, 900, 60, Duration.ofSeconds(15), 5);

  /** Rejects values that would make matching impossible or unbounded. */
  public MatchingConfig {
    if (h3Resolution < 0 || h3Resolution > 15) {
      throw new IllegalArgumentException("H3 resolution must be 0..15: " + h3Resolution);
    }
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(offerTimeout, "offerTimeout");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    if (offerTimeout.isNegative() || offerTimeout.isZero()) {
      throw new IllegalArgumentException("offer timeout must be positive: " + offerTimeout);
    }
    if (candidatesPerRide < 1 || maxCandidatesPerRide < candidatesPerRide) {
      throw new IllegalArgumentException(
          "need 1 <= candidatesPerRide <= maxCandidatesPerRide, got "
              + candidatesPerRide + " and " + maxCandidatesPerRide);
    }
    if (maxEtaSeconds < 0) {
      throw new IllegalArgumentException("max ETA must not be negative: " + maxEtaSeconds);
    }
    if (maxRing < 0) {
      throw new IllegalArgumentException("max ring must not be negative: " + maxRing);
    }
    if (maxOffersPerRide < 1) {
      throw new IllegalArgumentException("max offers per ride must be >= 1: " + maxOffersPerRide);
    }
  }

  /** A copy with another H3 resolution. */
  public MatchingConfig withResolution(int resolution) {
    return new MatchingConfig(resolution, window, candidatesPerRide, maxCandidatesPerRide,
        maxEtaSeconds, maxRing, offerTimeout, maxOffersPerRide);
  }

  /** A copy with another ETA cutoff. */
  public MatchingConfig withMaxEtaSeconds(int seconds) {
    return new MatchingConfig(h3Resolution, window, candidatesPerRide, maxCandidatesPerRide,
        seconds, maxRing, offerTimeout, maxOffersPerRide);
  }

  /** A copy with another number of candidates per ride (the cap grows to match if needed). */
  public MatchingConfig withCandidatesPerRide(int candidates) {
    return new MatchingConfig(h3Resolution, window, candidates,
        Math.max(candidates, maxCandidatesPerRide), maxEtaSeconds, maxRing, offerTimeout,
        maxOffersPerRide);
  }

  /** A copy with another limit of offers per ride. */
  public MatchingConfig withMaxOffersPerRide(int offers) {
    return new MatchingConfig(h3Resolution, window, candidatesPerRide, maxCandidatesPerRide,
        maxEtaSeconds, maxRing, offerTimeout, offers);
  }
}
