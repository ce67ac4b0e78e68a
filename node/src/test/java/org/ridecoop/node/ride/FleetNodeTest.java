package org.ridecoop.node.ride;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * A fleet node (the launcher's ride network with {@code drivers:} configured), on Anvil, real
 * sockets and SQLite: the listed drivers, not the node key, are its drivers, and each acts with
 * its own key.
 */
@ExtendWith(AnvilExtension.class)
class FleetNodeTest {

  static CoopFixture coop;

  @TempDir
  Path dir;

  Vertx client;
  NodeRuntime node;

  @BeforeAll
  static void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    for (int i = 0; i < 3; i++) {
      coop.join(coop.driver(i), 0);
    }
    coop.deposit(coop.rider(0), 50_000_000);
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop().await();
    }
    if (client != null) {
      client.close().await();
    }
  }

  @Test
  void theListedDriversGoOnlineAndSignTheirOffersWithTheirOwnKeys() throws Exception {
    Credentials nodeKey = coop.driver(0);
    Credentials first = coop.driver(1);
    Credentials second = coop.driver(2);
    ChainNode files = new ChainNode(dir.resolve("node"), coop, nodeKey);
    int port = NodeFiles.freePort();
    NodeConfig base = files.config(1, 200, "http://127.0.0.1:" + port, List.of(ChainNode.CELL), port, false,
        new NodeConfig.Matching(100, 12_000));
    NodeConfig fleet = new NodeConfig(base.chain(), base.keystore(), base.http(), base.dataDir(), base.peers(),
        base.matching(), base.settlement(), base.node(), List.of(lower(first), lower(second)));
    node = files.start(fleet, new RideNetworkComponent());
    client = Vertx.vertx();
    RideClient app = new RideClient(client, coop, port);
    JsonObject near = RideDeskTest.point(RideDeskTest.DRIVER_AT);

    // The node key is not one of this node's drivers once a fleet is listed.
    HttpResponse<Buffer> notOurs = app.signed(nodeKey, "/v1/drivers/" + nodeKey.getAddress() + "/online", near);
    assertThat(notOurs.statusCode()).as(notOurs.bodyAsString()).isEqualTo(404);
    // A fleet driver cannot act for another: calls are signed by the driver's own key.
    HttpResponse<Buffer> forAnother = app.signed(second, "/v1/drivers/" + first.getAddress() + "/online", near);
    assertThat(forAnother.statusCode()).as(forAnother.bodyAsString()).isEqualTo(403);

    BlockingQueue<JsonObject> screen = app.stream("/v1/drivers/" + first.getAddress() + "/stream", first);
    app.ok(first, "/v1/drivers/" + first.getAddress() + "/online", near);
    HttpResponse<Buffer> requested = app.post("/v1/rides",
        app.rideRequest(coop.rider(0), RideDeskTest.PICKUP, RideDeskTest.DROPOFF, 20_000_000));
    assertThat(requested.statusCode()).as(requested.bodyAsString()).isEqualTo(202);

    JsonObject pushed = RideDeskTest.next(screen, "offer");
    assertThat(pushed.getJsonObject("offer").getString("driver")).isEqualToIgnoringCase(first.getAddress());
    JsonObject accepted = app.accept(first, pushed).getJsonObject("offer");
    byte[] signature = Numeric.hexStringToByteArray(accepted.getString("driverSignature"));
    String signer = MessageSigner.recover(coop.ledgerDomain,
        RideDeskTest.offer(accepted.getJsonObject("offer")).structHash(), signature);
    assertThat(signer).isEqualToIgnoringCase(first.getAddress());
  }

  private static String lower(Credentials c) {
    return c.getAddress().toLowerCase(Locale.ROOT);
  }
}
