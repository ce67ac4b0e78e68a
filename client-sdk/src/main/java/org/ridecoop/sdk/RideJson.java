package org.ridecoop.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.URI;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.TripReceipt;
import org.web3j.utils.Numeric;

/** The node API's JSON shapes of offers and receipts, read into the protocol's types. */
final class RideJson {
  private RideJson() {}

  /**
   * A signed offer as the node relays it:
   * {@code {offerHash, offer{...}, driverSignature, why?, fromPeer?, servedAt?}}.
   */
  static RideOffer offer(JsonNode json, URI node) {
    JsonNode o = json.path("offer");
    Offer offer = new Offer(Numeric.hexStringToByteArray(o.path("requestHash").asText()), o.path("rider").asText(),
        o.path("driver").asText(), BigInteger.valueOf(o.path("maxFare").asLong()), o.path("rideNonce").asLong(),
        o.path("etaSeconds").asLong(), o.path("scheduleVersion").asInt(), o.path("expiry").asLong());
    JsonNode why = json.path("why");
    RideOffer.Reason reason = why.isMissingNode() ? null : new RideOffer.Reason(why.path("etaSeconds").asLong(),
        why.path("distanceMetres").asLong(), why.path("rank").asInt(), why.path("candidates").asInt(),
        why.path("text").asText());
    return new RideOffer(offer, Numeric.hexStringToByteArray(json.path("driverSignature").asText()),
        json.path("offerHash").asText(), reason, json.path("fromPeer").asBoolean(false), node,
        servedAt(json.path("servedAt")));
  }

  /** A peer's endpoint as the node relays it; null when absent or not an http(s) URL. */
  private static URI servedAt(JsonNode json) {
    if (!json.isTextual()) {
      return null;
    }
    try {
      URI uri = URI.create(json.asText().replaceAll("/+$", ""));
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null ? uri : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * A receipt draft: {@code {rideId (decimal string), distanceMetres, durationSeconds, pickupAt,
   * dropoffAt, routeHash}}.
   */
  static TripReceipt receipt(JsonNode json) {
    return new TripReceipt(new BigInteger(json.path("rideId").asText()), json.path("distanceMetres").asLong(),
        json.path("durationSeconds").asLong(), json.path("pickupAt").asLong(), json.path("dropoffAt").asLong(),
        Numeric.hexStringToByteArray(json.path("routeHash").asText()));
  }
}
