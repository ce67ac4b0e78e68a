package org.ridecoop.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.uber.h3core.H3Core;
import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ridecoop.deploy.DeploymentManifest;
import org.ridecoop.protocol.Eip712Domain;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.RideRequest;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * The JSON a rider posts as a ride request, read back the way a node reads it: every field and
 * type as the node's strict parser wants them, and the signature over exactly those fields.
 */
class RiderRequestTest {
  static final String LEDGER = "0x" + "12".repeat(20);
  static final DeploymentManifest MANIFEST = new DeploymentManifest(31337, 1, "0x" + "ab".repeat(20),
      Map.of("RideLedger", LEDGER, "CoopToken", "0x" + "34".repeat(20), "FareSchedule", "0x" + "56".repeat(20)),
      Map.of("protocol", "1"));

  @Test
  void theRequestBodyCarriesTheSignedFieldsAndTheExactPoints() throws Exception {
    Credentials key = Credentials.create("0x" + "5d".repeat(32)); // a fixed test key
    Place pickup = new Place(48.8566, 2.3522);
    Place dropoff = new Place(48.8738, 2.2950);
    H3Core h3 = H3Core.newInstance();
    RideRequest request = new RideRequest(key.getAddress(), h3.latLngToCell(pickup.lat(), pickup.lng(), 7),
        h3.latLngToCell(dropoff.lat(), dropoff.lng(), 7), BigInteger.valueOf(12_345_678), 7, 1_800_000_000L,
        RideRequest.newSalt());
    Eip712Domain domain = Eip712Domain.rideLedger(31337, LEDGER);
    byte[] signature = MessageSigner.sign(domain, request.structHash(), key);

    // Nothing is contacted until a call is made: no node nor chain needs to run here.
    try (RideCoop coop = RideCoop.connect(List.of(URI.create("http://127.0.0.1:1")),
        URI.create("http://127.0.0.1:2"), MANIFEST)) {
      byte[] bytes = coop.calls().encode(coop.rider(key).requestBody(request, signature, pickup, dropoff));
      JsonNode body = new ObjectMapper().readTree(bytes);

      assertThat(body.fieldNames()).toIterable().containsExactly("request", "signature", "pickup", "dropoff");
      JsonNode r = body.path("request");
      assertThat(r.fieldNames()).toIterable()
          .containsExactly("rider", "pickupCell", "dropoffCell", "maxFare", "rideNonce", "expiry", "salt");
      assertThat(r.path("maxFare").isIntegralNumber()).isTrue(); // money as an integer, never a string or float
      assertThat(r.path("pickupCell").asText()).isEqualTo(Long.toHexString(request.pickupCell()));
      assertThat(body.path("pickup").path("lat").asDouble()).isEqualTo(pickup.lat());

      // Read back as the node does, the request is the one signed, by the rider.
      RideRequest read = new RideRequest(r.path("rider").asText(),
          Long.parseUnsignedLong(r.path("pickupCell").asText(), 16),
          Long.parseUnsignedLong(r.path("dropoffCell").asText(), 16), BigInteger.valueOf(r.path("maxFare").asLong()),
          r.path("rideNonce").asLong(), r.path("expiry").asLong(), Numeric.hexStringToByteArray(r.path("salt").asText()));
      assertThat(r.path("salt").asText()).matches("0x[0-9a-f]{64}");
      assertThat(read.structHash()).isEqualTo(request.structHash());
      assertThat(MessageSigner.recover(domain, read.structHash(),
          Numeric.hexStringToByteArray(body.path("signature").asText()))).isEqualToIgnoringCase(key.getAddress());
    }
  }
}
