package org.ridecoop.node.ride;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.matching.OfferReason;
import org.ridecoop.node.store.RideState;
import org.ridecoop.node.store.SignedOffer;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.TripReceipt;
import org.web3j.utils.Numeric;

/** The JSON shapes of the ride API's answers and stream messages. */
final class RideJson {
  private RideJson() {}

  static String state(RideState s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  static JsonObject point(LatLng p) {
    return new JsonObject().put("lat", p.lat()).put("lng", p.lng());
  }

  /** An EIP-712 Offer, field by field as signed (amounts as integers). */
  static JsonObject offer(Offer o) {
    return new JsonObject()
        .put("requestHash", Numeric.toHexString(o.requestHash()))
        .put("rider", o.rider())
        .put("driver", o.driver())
        .put("maxFare", o.maxFare().longValueExact())
        .put("rideNonce", o.rideNonce())
        .put("etaSeconds", o.etaSeconds())
        .put("scheduleVersion", o.scheduleVersion())
        .put("expiry", o.expiry());
  }

  static JsonObject signedOffer(SignedOffer s, OfferReason why) {
    JsonObject json = new JsonObject()
        .put("offerHash", s.offerHash())
        .put("offer", offer(s.offer()))
        .put("driverSignature", Numeric.toHexString(s.driverSignature()));
    if (why != null) {
      json.put("why", reason(why));
    }
    return json;
  }

  static JsonObject reason(OfferReason why) {
    return new JsonObject()
        .put("etaSeconds", why.etaSeconds())
        .put("distanceMetres", why.distanceMetres())
        .put("rank", why.rank())
        .put("candidates", why.candidates())
        .put("text", why.describe());
  }

  static JsonObject receipt(TripReceipt r) {
    return new JsonObject()
        .put("rideId", r.rideId().toString())
        .put("distanceMetres", r.distanceMetres())
        .put("durationSeconds", r.durationSeconds())
        .put("pickupAt", r.pickupAt())
        .put("dropoffAt", r.dropoffAt())
        .put("routeHash", Numeric.toHexString(r.routeHash()));
  }
}
