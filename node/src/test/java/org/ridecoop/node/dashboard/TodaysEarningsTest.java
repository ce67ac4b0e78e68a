package org.ridecoop.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Today's figures per driver: net of commission, every fleet driver listed, reset at midnight UTC. */
class TodaysEarningsTest {
  static final String A = "0x00000000000000000000000000000000000000aa";
  static final String B = "0x00000000000000000000000000000000000000bb";

  /** A clock the test moves. */
  static final class Hands extends Clock {
    Instant now;

    Hands(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void countsNetEarningsPerDriverAndStartsAgainAtMidnightUtc() {
    Hands clock = new Hands(Instant.parse("2026-11-30T22:10:00Z"));
    TodaysEarnings today = new TodaysEarnings(clock, List.of(A.toUpperCase().replace("0X", "0x"), B));
    assertThat(today.today()).containsOnlyKeys(A, B);
    assertThat(today.since()).isEqualTo(clock.now); // started after midnight: counts from the start

    today.settled(A, BigInteger.valueOf(12_000_000), BigInteger.valueOf(1_200_000));
    today.settled(A, BigInteger.valueOf(8_000_000), BigInteger.valueOf(800_000));
    assertThat(today.today().get(A)).isEqualTo(new TodaysEarnings.Day(2, BigInteger.valueOf(18_000_000)));
    assertThat(today.today().get(B)).isEqualTo(new TodaysEarnings.Day(0, BigInteger.ZERO));

    clock.now = Instant.parse("2026-12-01T00:00:01Z");
    assertThat(today.today().get(A)).isEqualTo(new TodaysEarnings.Day(0, BigInteger.ZERO));
    assertThat(today.since()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }
}
