package org.ridecoop.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-peer token buckets on a hand-driven clock. */
class TokenBucketsTest {

  @Test
  void aBurstThenTheSustainedRatePerPeer() {
    AtomicLong nanos = new AtomicLong();
    TokenBuckets buckets = new TokenBuckets(3, 2, nanos::get);
    assertThat(buckets.tryTake("a")).isTrue();
    assertThat(buckets.tryTake("a")).isTrue();
    assertThat(buckets.tryTake("a")).isTrue();
    assertThat(buckets.tryTake("a")).isFalse();
    assertThat(buckets.tryTake("b")).as("another peer has its own bucket").isTrue();
    nanos.addAndGet(499_000_000L);
    assertThat(buckets.tryTake("a")).isFalse();
    nanos.addAndGet(1_000_000L);
    assertThat(buckets.tryTake("a")).as("one token after half a second at 2/s").isTrue();
    assertThat(buckets.tryTake("a")).isFalse();
    nanos.addAndGet(60_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertThat(buckets.tryTake("a")).isTrue();
    }
    assertThat(buckets.tryTake("a")).as("never more than the capacity").isFalse();
  }
}
