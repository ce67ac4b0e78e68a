package org.ridecoop.node.dashboard;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rides settled today (UTC) and what they earned, per driver of this node, counted from the
 * chain's {@code RideSettled} events as the indexer delivers them. In memory: after a restart it
 * counts from the restart (the indexer does not deliver events again), which {@link #since()} says.
 * Written on the indexer's event loop and read by HTTP requests, hence synchronized.
 */
final class TodaysEarnings {

  /** One driver's day: rides settled and net earnings (fare − commission), token base units. */
  record Day(long rides, BigInteger net) {}

  private final Clock clock;
  private final Collection<String> drivers;
  private final Instant started;
  private LocalDate day;
  private final Map<String, Day> byDriver = new LinkedHashMap<>();

  TodaysEarnings(Clock clock, Collection<String> drivers) {
    this.clock = clock;
    this.drivers = drivers.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    this.started = clock.instant();
    reset(LocalDate.ofInstant(started, ZoneOffset.UTC));
  }

  /** Counts a ride {@code driver} drove that was settled now. */
  synchronized void settled(String driver, BigInteger fare, BigInteger commission) {
    rollOver();
    String d = driver.toLowerCase(Locale.ROOT);
    Day was = byDriver.getOrDefault(d, new Day(0, BigInteger.ZERO));
    byDriver.put(d, new Day(was.rides() + 1, was.net().add(fare.subtract(commission))));
  }

  /** Today's figures: every driver of this node (zero when idle), then any other seen. */
  synchronized Map<String, Day> today() {
    rollOver();
    return Map.copyOf(byDriver);
  }

  /** Since when today's figures count: midnight UTC, or the node's start if later. */
  synchronized Instant since() {
    rollOver();
    Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    return started.isAfter(midnight) ? started : midnight;
  }

  private void rollOver() {
    LocalDate now = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!now.equals(day)) reset(now);
  }

  private void reset(LocalDate today) {
    day = today;
    byDriver.clear();
    drivers.forEach(d -> byDriver.put(d, new Day(0, BigInteger.ZERO)));
  }
}
