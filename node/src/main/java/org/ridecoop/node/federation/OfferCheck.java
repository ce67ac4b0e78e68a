package org.ridecoop.node.federation;

import io.vertx.core.Future;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.ridecoop.node.store.SignedOffer;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideRequest;

/**
 * Checks that an offer a peer passed on is one the ledger would book for this request: signed by
 * its driver under the RideLedger domain, the driver an active driver member, and its terms
 * matching the rider's request. Also checks the rider's signature on requests peers send here.
 */
final class OfferCheck {

  /** How long a driver's membership answer is reused, so a burst of offers costs one chain call. */
  private static final long DRIVER_CACHE_MILLIS = 5_000;

  private final Eip712Domain ledgerDomain;
  private final NodeRegistry registry;
  private final LongSupplier clock;
  private final Map<String, long[]> drivers = new ConcurrentHashMap<>(); // [active 0/1, checked at]

  OfferCheck(Eip712Domain ledgerDomain, NodeRegistry registry, LongSupplier clock) {
    this.ledgerDomain = ledgerDomain;
    this.registry = registry;
    this.clock = clock;
  }

  /** Null when the rider signed {@code r} and it has not expired, else why not. */
  String refuseRequest(SignedRideRequest r) {
    try {
      String signer = MessageSigner.recover(ledgerDomain, r.request().structHash(), r.riderSignature());
      if (!signer.equalsIgnoreCase(r.request().rider())) {
        return "the request is not signed by its rider";
      }
    } catch (SignatureException | RuntimeException e) {
      return "the rider's signature is malformed: " + e.getMessage();
    }
    if (r.request().expiry() * 1000 <= clock.getAsLong()) {
      return "the request expired at " + r.request().expiry();
    }
    return null;
  }

  /** Succeeds with null when {@code s} is a valid offer for {@code request}, else with why not. */
  Future<String> refuseOffer(SignedRideRequest request, SignedOffer s) {
    Offer o = s.offer();
    RideRequest q = request.request();
    if (!Arrays.equals(o.requestHash(), q.structHash())) {
      return Future.succeededFuture("offer answers another request");
    }
    if (!o.rider().equalsIgnoreCase(q.rider()) || o.rideNonce() != q.rideNonce()) {
      return Future.succeededFuture("offer is for another rider or ride nonce");
    }
    if (o.maxFare().compareTo(q.maxFare()) > 0) {
      return Future.succeededFuture("offer's fare " + o.maxFare() + " is above the rider's maximum " + q.maxFare());
    }
    if (o.expiry() * 1000 <= clock.getAsLong()) {
      return Future.succeededFuture("offer expired at " + o.expiry());
    }
    try {
      String signer = MessageSigner.recover(ledgerDomain, o.structHash(), s.driverSignature());
      if (!signer.equalsIgnoreCase(o.driver())) {
        return Future.succeededFuture("offer is not signed by its driver " + o.driver());
      }
    } catch (SignatureException | RuntimeException e) {
      return Future.succeededFuture("offer signature is malformed: " + e.getMessage());
    }
    return activeDriver(o.driver().toLowerCase(java.util.Locale.ROOT))
        .map(active -> active ? null : "driver " + o.driver() + " is not an active driver member");
  }

  private Future<Boolean> activeDriver(String driver) {
    long now = clock.getAsLong();
    long[] cached = drivers.get(driver);
    if (cached != null && now - cached[1] < DRIVER_CACHE_MILLIS) {
      return Future.succeededFuture(cached[0] == 1);
    }
    return registry.isActiveDriver(driver).onSuccess(a -> drivers.put(driver, new long[] {a ? 1 : 0, now}));
  }
}
