package org.ridecoop.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.h3core.H3Core;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.RideParties;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.matching.LatLng;
import org.ridecoop.node.ride.RideNetworkComponent;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * A rider's request is taken only where some node of the network serves the pickup: node A (a
 * real node with its ride desk and federation) serves central Paris, its peer B serves Porto, and
 * nobody serves Lyon. Both are registered on a real Anvil chain and talk over loopback HTTP.
 */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceAreaTest {

  static final LatLng PORTO = new LatLng(41.1579, -8.6291);
  static final LatLng PORTO_STATION = new LatLng(41.1456, -8.6108);
  static final LatLng LYON = new LatLng(45.7640, 4.8357);
  static final LatLng LYON_STATION = new LatLng(45.7606, 4.8594);
  static final long MAX_FARE = 20_000_000;

  CoopFixture coop;
  long portoCell;
  long lyonCell;
  PeerNode b;
  NodeRuntime a;
  RideParties atA;
  final List<SignedRideRequest> askedB = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start(AnvilChain chain, ChainAccess access, @TempDir Path dir) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    H3Core h3 = H3Core.newInstance();
    portoCell = h3.latLngToCell(PORTO.lat(), PORTO.lng(), 7);
    lyonCell = h3.latLngToCell(LYON.lat(), LYON.lng(), 7);
    coop.join(coop.driver(0), 0); // A's key and operator
    coop.join(coop.driver(1), 0); // B's operator and driver
    PeerNode.Desk drivers = PeerNode.Desk.drivers(coop, coop.driver(1));
    b = PeerNode.start(coop, dir.resolve("b"), PeerNode.newKey(), (vertx, request) -> {
      askedB.add(request);
      return drivers.offersFor(vertx, request);
    }, FederationSettings.defaults());
    b.register(coop, coop.driver(1), portoCell);
    b.join();

    ChainNode files = new ChainNode(dir.resolve("a"), coop, coop.driver(0));
    int port = NodeFiles.freePort();
    a = files.start(files.config(1, 60_000, "http://127.0.0.1:" + port, List.of(ChainNode.CELL), port, true,
        new NodeConfig.Matching(200, 5_000)), new RideNetworkComponent());
    atA = new RideParties(URI.create("http://127.0.0.1:" + port), coop.ledgerDomain);
  }

  @AfterAll
  void stop() {
    if (a != null) {
      a.stop().await();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void aPickupNoNodeServesIsRefusedWith400AndNothingIsStored() throws Exception {
    Credentials rider = coop.rider(1);
    int storedBefore = a.services().store().rides().openRequestCount().await();
    HttpResponse<String> answer = atA.requestAnswer(rider, LYON, LYON_STATION, MAX_FARE, coop.nextRideNonce(rider),
        coop.now() + 600);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    JsonObject error = new JsonObject(answer.body());
    assertThat(error.getString("error")).isEqualTo("outside_service_area");
    assertThat(error.getString("reason")).contains(Long.toHexString(lyonCell));
    assertThat(a.services().store().rides().openRequestCount().await()).as("nothing stored").isEqualTo(storedBefore);
    assertThat(askedB).as("no peer asked").noneMatch(r -> r.request().rider().equalsIgnoreCase(rider.getAddress()));
    // A quote commits to nothing: it stays answerable anywhere.
    assertThat(atA.quote(LYON, LYON_STATION).getLong("fare")).isPositive();
  }

  @Test
  void aPickupOnlyAPeerServesIsAcceptedAndSentToThatPeer() throws Exception {
    Credentials rider = coop.rider(0);
    BigInteger rideId = atA.request(rider, PORTO, PORTO_STATION, MAX_FARE, coop.nextRideNonce(rider),
        coop.now() + 600);

    JsonArray offers = new JsonArray();
    long deadline = System.currentTimeMillis() + 20_000;
    while (offers.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      offers = atA.ride(rideId).getJsonArray("offers");
    }
    assertThat(askedB).as("B, the one node serving Porto, got the request")
        .anyMatch(r -> r.request().rider().equalsIgnoreCase(rider.getAddress())
            && r.request().pickupCell() == portoCell);
    assertThat(offers).as("the peer's driver offer reached the rider at A").hasSize(1);
    JsonObject offer = offers.getJsonObject(0);
    assertThat(offer.getBoolean("fromPeer")).isTrue();
    assertThat(offer.getJsonObject("offer").getString("driver")).isEqualToIgnoringCase(coop.driver(1).getAddress());
  }
}
