package org.ridecoop.sdk;

import java.util.concurrent.ScheduledExecutorService;
import org.web3j.crypto.Credentials;

/** What a rider's objects share within one {@link RideCoop}: node calls, the chain, a thread. */
interface RiderContext {
  NodeCalls calls();

  RiderLedger ledger(Credentials key);

  ScheduledExecutorService executor();

  long timeoutMillis();

  /** A ride being followed, closed with the connection. */
  void opened(Ride ride);

  /** A ride no longer followed. */
  void closed(Ride ride);
}
