package org.ridecoop.node.federation;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per peer: {@code capacity} messages at once, refilled at {@code perSecond}.
 * Used both ways: for requests a peer sends here (beyond the rate: 429) and for requests sent to a
 * peer (beyond the rate: the peer is skipped), so no peer floods another.
 */
final class TokenBuckets {

  private final double capacity;
  private final double perNano;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>();

  TokenBuckets(int capacity, double perSecond, LongSupplier nanoClock) {
    if (capacity < 1 || perSecond <= 0) {
      throw new IllegalArgumentException("a bucket needs capacity >= 1 and a positive rate");
    }
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.nanoClock = nanoClock;
  }

  /** Takes a token from {@code peer}'s bucket; false when it is empty. */
  boolean tryTake(String peer) {
    long now = nanoClock.getAsLong();
    boolean[] taken = new boolean[1];
    // state: [tokens, last refill nanos]
    buckets.compute(peer, (k, s) -> {
      double[] state = s == null ? new double[] {capacity, now} : s;
      state[0] = Math.min(capacity, state[0] + (now - (long) state[1]) * perNano);
      state[1] = now;
      if (state[0] >= 1) {
        state[0] -= 1;
        taken[0] = true;
      }
      return state;
    });
    return taken[0];
  }
}
