package org.ridecoop.node.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Latencies of one measured phase, in microseconds, with the events that never completed counted
 * apart. Thread-safe; sorted once when summarised.
 */
final class Latencies {
  private long[] micros = new long[1024];
  private int count;
  private int missing;

  synchronized void add(long latencyMicros) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, count * 2);
    }
    micros[count++] = latencyMicros;
  }

  /** An event that did not happen before the phase's deadline. */
  synchronized void missing() {
    missing++;
  }

  /** Adds every latency and missing event of {@code other}. */
  void addAll(Latencies other) {
    long[] theirs;
    int theirMissing;
    synchronized (other) {
      theirs = Arrays.copyOf(other.micros, other.count);
      theirMissing = other.missing;
    }
    synchronized (this) {
      for (long l : theirs) {
        add(l);
      }
      missing += theirMissing;
    }
  }

  synchronized int count() {
    return count;
  }

  synchronized int missingCount() {
    return missing;
  }

  /** Percentile {@code p} (0..100) in milliseconds, nearest rank; missing events rank as infinitely late. */
  synchronized double percentileMillis(double p) {
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    int total = count + missing;
    if (total == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * total);
    int index = Math.max(1, rank) - 1;
    return index >= count ? Double.POSITIVE_INFINITY : sorted[index] / 1000.0;
  }

  synchronized double maxMillis() {
    if (missing > 0) {
      return Double.POSITIVE_INFINITY;
    }
    return count == 0 ? Double.NaN : Arrays.stream(micros, 0, count).max().orElse(0) / 1000.0;
  }

  /** {@code p50 12.3 ms, p90 ..., p99 ..., max ... (n = 10000, 0 missing)} */
  String summary() {
    return String.format(Locale.ROOT, "p50 %s, p90 %s, p99 %s, max %s ms (n = %d, %d missing)",
        ms(percentileMillis(50)), ms(percentileMillis(90)), ms(percentileMillis(99)), ms(maxMillis()),
        count(), missingCount());
  }

  static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "n/a";
    }
    if (Double.isInfinite(millis)) {
      return "never";
    }
    return String.format(Locale.ROOT, millis >= 100 ? "%,.0f" : "%.1f", millis);
  }
}
