package org.ridecoop.node.federation;

/**
 * How federation behaves.
 *
 * @param requestTimeoutMillis how long a fan-out waits for peers' answers; what arrived by then is used
 * @param clockSkewMillis how far a peer message's timestamp may be from this node's clock
 * @param inboundBurst requests a peer may send at once
 * @param inboundPerSecond requests a peer may send per second, sustained (beyond: 429)
 * @param outboundBurst requests sent to one peer at once
 * @param outboundPerSecond requests sent to one peer per second, sustained (beyond: it is skipped)
 * @param faultLimit consecutive faults after which a peer is ignored
 * @param penaltyMillis how long a faulty peer is ignored
 * @param refreshMillis how often the whole registry is read again
 * @param nonceCacheSize nonces kept in memory (the store keeps all of them for the skew window)
 */
public record FederationSettings(
    long requestTimeoutMillis,
    long clockSkewMillis,
    int inboundBurst,
    double inboundPerSecond,
    int outboundBurst,
    double outboundPerSecond,
    int faultLimit,
    long penaltyMillis,
    long refreshMillis,
    int nonceCacheSize) {

  /** Defaults: 800 ms answers, ±30 s clocks, 20/s per peer each way, 3 faults cost 60 s. */
  public static FederationSettings defaults() {
    return new FederationSettings(800, 30_000, 40, 20, 40, 20, 3, 60_000, 60_000, 100_000);
  }

  /** The same with another request timeout (e.g. the node's {@code matching.offerTimeoutMillis}). */
  public FederationSettings withRequestTimeout(long millis) {
    return new FederationSettings(millis, clockSkewMillis, inboundBurst, inboundPerSecond, outboundBurst,
        outboundPerSecond, faultLimit, penaltyMillis, refreshMillis, nonceCacheSize);
  }

  /** The same with other inbound limits. */
  public FederationSettings withInboundLimit(int burst, double perSecond) {
    return new FederationSettings(requestTimeoutMillis, clockSkewMillis, burst, perSecond, outboundBurst,
        outboundPerSecond, faultLimit, penaltyMillis, refreshMillis, nonceCacheSize);
  }
}
