package org.ridecoop.node.federation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import org.ridecoop.node.api.OptionalField;
import org.ridecoop.node.api.StrictJson;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.store.SignedOffer;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideRequest;
import org.web3j.utils.Numeric;

/**
 * The JSON bodies of the peer protocol. Amounts travel as decimal strings, hashes and signatures
 * as 0x hex, cells as numbers (H3 ids fit a signed 64-bit integer).
 *
 * <pre>{@code
 * POST /v1/peer/requests
 * {"request": {"rider": "0x..", "pickupCell": 608..., "dropoffCell": 608..., "maxFare": "2500000",
 *              "rideNonce": 0, "expiry": 1790000000, "salt": "0x.."},
 *  "riderSignature": "0x..",
 *  "pickup": {"lat": 38.7223, "lng": -9.1393}}
 * 200
 * {"offers": [{"requestHash": "0x..", "rider": "0x..", "driver": "0x..", "maxFare": "2400000",
 *              "rideNonce": 0, "etaSeconds": 240, "scheduleVersion": 1, "expiry": 1790000060,
 *              "driverSignature": "0x.."}]}
 * }</pre>
 *
 * <p>{@code pickup} (optional) is the rider's exact pickup point: the driver a peer matches must
 * know where to go, and the answering node checks it lies in the signed {@code pickupCell}. The
 * {@code salt} (32 bytes, in the signed request) travels like the pickup, only between nodes and
 * never to the chain: it is what keeps the cells from being recovered from the request hash.
 */
final class PeerWire {

  private PeerWire() {}

  record WireRequest(String rider, long pickupCell, long dropoffCell, String maxFare, long rideNonce, long expiry,
      String salt) {}

  record WirePoint(double lat, double lng) {}

  record RequestBody(WireRequest request, String riderSignature, @OptionalField WirePoint pickup) {}

  record WireOffer(String requestHash, String rider, String driver, String maxFare, long rideNonce,
      long etaSeconds, int scheduleVersion, long expiry, String driverSignature) {}

  record OffersBody(List<WireOffer> offers) {}

  static Buffer encode(SignedRideRequest r) {
    RideRequest q = r.request();
    JsonObject body = new JsonObject()
        .put("request", new JsonObject()
            .put("rider", q.rider())
            .put("pickupCell", q.pickupCell())
            .put("dropoffCell", q.dropoffCell())
            .put("maxFare", q.maxFare().toString())
            .put("rideNonce", q.rideNonce())
            .put("expiry", q.expiry())
            .put("salt", Numeric.toHexString(q.salt())))
        .put("riderSignature", Numeric.toHexString(r.riderSignature()));
    if (r.pickup() != null) {
      body.put("pickup", new JsonObject().put("lat", r.pickup().lat()).put("lng", r.pickup().lng()));
    }
    return body.toBuffer();
  }

  static Buffer encode(List<SignedOffer> offers) {
    JsonArray out = new JsonArray();
    for (SignedOffer s : offers) {
      Offer o = s.offer();
      out.add(new JsonObject()
          .put("requestHash", Numeric.toHexString(o.requestHash()))
          .put("rider", o.rider())
          .put("driver", o.driver())
          .put("maxFare", o.maxFare().toString())
          .put("rideNonce", o.rideNonce())
          .put("etaSeconds", o.etaSeconds())
          .put("scheduleVersion", o.scheduleVersion())
          .put("expiry", o.expiry())
          .put("driverSignature", Numeric.toHexString(s.driverSignature())));
    }
    return new JsonObject().put("offers", out).toBuffer();
  }

  /** @throws org.ridecoop.node.api.ApiError 400 when the body is not exactly a request */
  static SignedRideRequest request(byte[] body) {
    RequestBody b = StrictJson.read(body, RequestBody.class);
    WireRequest w = b.request();
    LatLng pickup = null;
    if (b.pickup() != null) {
      try {
        pickup = new LatLng(b.pickup().lat(), b.pickup().lng());
      } catch (IllegalArgumentException e) {
        throw org.ridecoop.node.api.ApiError.badRequest("invalid_value", "pickup: " + e.getMessage());
      }
    }
    return new SignedRideRequest(new RideRequest(address(w.rider(), "request.rider"), w.pickupCell(),
        w.dropoffCell(), amount(w.maxFare(), "request.maxFare"), w.rideNonce(), w.expiry(),
        hex(w.salt(), 32, "request.salt")), hex(b.riderSignature(), 65, "riderSignature"), pickup);
  }

  /** The offers of an answer, each with its wire form's problems as exceptions. */
  static List<WireOffer> offers(byte[] body) {
    return StrictJson.read(body, OffersBody.class).offers();
  }

  /** @throws IllegalArgumentException naming the malformed field */
  static SignedOffer offer(WireOffer w, long nowMillis) {
    Offer o = new Offer(hex(w.requestHash(), 32, "requestHash"), address(w.rider(), "rider"),
        address(w.driver(), "driver"), amount(w.maxFare(), "maxFare"), w.rideNonce(), w.etaSeconds(),
        w.scheduleVersion(), w.expiry());
    return new SignedOffer(o, hex(w.driverSignature(), 65, "driverSignature"), nowMillis);
  }

  private static String address(String s, String field) {
    if (s == null || !s.matches("0x[0-9a-fA-F]{40}")) {
      throw org.ridecoop.node.api.ApiError.badRequest("invalid_value", field + " must be a 0x address");
    }
    return s;
  }

  private static BigInteger amount(String s, String field) {
    if (s == null || !s.matches("[0-9]{1,78}")) {
      throw org.ridecoop.node.api.ApiError.badRequest("invalid_value", field + " must be a decimal amount");
    }
    return new BigInteger(s);
  }

  private static byte[] hex(String s, int bytes, String field) {
    if (s == null || !s.matches("0x[0-9a-fA-F]{" + (2 * bytes) + "}")) {
      throw org.ridecoop.node.api.ApiError.badRequest("invalid_value", field + " must be " + bytes + " bytes of 0x hex");
    }
    return Numeric.hexStringToByteArray(s);
  }
}
