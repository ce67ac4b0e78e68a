package org.ridecoop.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.h3core.H3Core;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.store.SignedOffer;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * Two and three real nodes on loopback, each with its own Vert.x, store and HTTP server, finding
 * each other through the node registry on a real Anvil chain.
 */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationTest {

  /** The fan-out timeout where timing is measured (after a warm-up exchange). */
  static final long TIMEOUT_MS = 800;
  /** The fan-out timeout elsewhere: a cold JVM on a shared machine may need more than 800 ms. */
  static final long RELAXED_TIMEOUT_MS = 5_000;

  CoopFixture coop;
  long lisbon;
  long porto;
  final List<PeerNode> nodes = new ArrayList<>();
  Vertx client;

  @TempDir
  Path dir;

  @BeforeAll
  void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    for (int i = 0; i < 4; i++) {
      coop.join(coop.driver(i), 0);
    }
    H3Core h3 = H3Core.newInstance();
    lisbon = h3.latLngToCell(38.7223, -9.1393, 7);
    porto = h3.latLngToCell(41.1579, -8.6291, 7);
  }

  @AfterEach
  void stop() {
    for (PeerNode n : nodes) {
      n.close();
    }
    nodes.clear();
    if (client != null) {
      client.close().await();
      client = null;
    }
  }

  PeerNode node(String name, Credentials key, PeerNode.Desk desk, FederationSettings settings) {
    PeerNode n = PeerNode.start(coop, dir.resolve(name), key, desk, settings);
    nodes.add(n);
    return n;
  }

  PeerNode node(String name, PeerNode.Desk desk) {
    return node(name, PeerNode.newKey(), desk, settings());
  }

  static FederationSettings settings() {
    return FederationSettings.defaults().withRequestTimeout(RELAXED_TIMEOUT_MS);
  }

  static FederationSettings timed() {
    return FederationSettings.defaults().withRequestTimeout(TIMEOUT_MS);
  }

  /** One exchange A to B so that the measured one runs warm (classes loaded, connections open). */
  void warmUp(PeerNode a) throws Exception {
    for (int i = 0; i < 3 && a.federation.ask(request(porto)).await().isEmpty(); i++) {
      Thread.sleep(100);
    }
  }

  SignedRideRequest request(long pickupCell) throws Exception {
    Credentials rider = coop.rider(0);
    RideRequest r = new RideRequest(rider.getAddress(), pickupCell, lisbon, BigInteger.valueOf(5_000_000), 0,
        System.currentTimeMillis() / 1000 + 300, RideRequest.newSalt());
    return new SignedRideRequest(r, MessageSigner.sign(coop.ledgerDomain, r.structHash(), rider));
  }

  // ------------------------------------------------------------------ (a) served by a peer

  @Test
  void aRequestNodeACannotServeIsServedByTheDriverOfB() throws Exception {
    PeerNode a = node("a", PeerNode.Desk.none());
    PeerNode b = node("b", PeerNode.Desk.drivers(coop, coop.driver(1)));
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), porto);
    a.join();
    b.join();

    SignedRideRequest request = request(porto);
    List<SignedOffer> offers = a.federation.ask(request).await();

    assertThat(offers).hasSize(1);
    SignedOffer offer = offers.get(0);
    assertThat(offer.offer().driver()).isEqualToIgnoringCase(coop.driver(1).getAddress());
    assertThat(offer.requestHash()).isEqualTo(request.requestHash());
    assertThat(MessageSigner.recover(coop.ledgerDomain, offer.offer().structHash(), offer.driverSignature()))
        .isEqualToIgnoringCase(coop.driver(1).getAddress());
    assertThat(a.store.peers().find(b.address()).await()).hasValueSatisfying(p -> {
      assertThat(p.endpoint().toString()).isEqualTo(b.endpoint());
      assertThat(p.serviceArea()).containsExactly(porto);
      assertThat(p.lastSeenAt()).isPresent();
    });
  }

  @Test
  void onlyPeersCoveringThePickupCellAreAsked() throws Exception {
    PeerNode a = node("a", PeerNode.Desk.none());
    PeerNode b = node("b", PeerNode.Desk.drivers(coop, coop.driver(1)));
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), porto);
    a.join();

    assertThat(a.federation.peers().covering(lisbon)).isEmpty();
    assertThat(a.federation.ask(request(lisbon)).await()).isEmpty();
    assertThat(a.federation.peers().covering(porto)).extracting(RegisteredNode::address).containsExactly(b.address());
  }

  // ------------------------------------------------------------------ (b) a peer dies mid-match

  @Test
  void aPeerKilledMidMatchDoesNotHoldTheAnswerBack() throws Exception {
    Promise<Void> killed = Promise.promise();
    PeerNode a = node("a", PeerNode.newKey(), PeerNode.Desk.none(), timed());
    PeerNode b = node("b", PeerNode.Desk.drivers(coop, coop.driver(1)));
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), porto);
    a.join();
    warmUp(a);
    PeerNode c = node("c", (vertx, request) -> {
      // dies while the request is in flight: its Vert.x (server, connections) goes away, no answer
      vertx.close().onComplete(done -> killed.tryComplete());
      return Promise.<List<SignedOffer>>promise().future();
    });
    c.register(coop, coop.driver(2), porto);
    a.join();
    assertThat(a.federation.peers().covering(porto)).hasSize(2);

    long started = System.nanoTime();
    List<SignedOffer> offers = a.federation.ask(request(porto)).await();
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(killed.future().await(5, java.util.concurrent.TimeUnit.SECONDS)).isNull();
    assertThat(tookMs).isLessThan(TIMEOUT_MS + 400);
    assertThat(offers).extracting(o -> o.offer().driver().toLowerCase())
        .containsExactly(coop.driver(1).getAddress().toLowerCase());
  }

  @Test
  void aSilentPeerCostsTheTimeoutAndNothingMore() throws Exception {
    PeerNode a = node("a", PeerNode.newKey(), PeerNode.Desk.none(), timed());
    PeerNode b = node("b", PeerNode.Desk.drivers(coop, coop.driver(1)));
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), porto);
    a.join();
    warmUp(a);
    PeerNode c = node("c", (vertx, request) -> Promise.<List<SignedOffer>>promise().future());
    c.register(coop, coop.driver(2), porto);
    a.join();

    long started = System.nanoTime();
    List<SignedOffer> offers = a.federation.ask(request(porto)).await();
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(tookMs).isBetween(TIMEOUT_MS - 50, TIMEOUT_MS + 400);
    assertThat(offers).hasSize(1);
    assertThat(offers.get(0).offer().driver()).isEqualToIgnoringCase(coop.driver(1).getAddress());
  }

  // ------------------------------------------------------------------ (c) forged offers and answers

  @Test
  void offersSignedByUnregisteredKeysAreDroppedCountedAndPenalised() throws Exception {
    Credentials stranger = PeerNode.newKey();
    FederationSettings strict = new FederationSettings(RELAXED_TIMEOUT_MS, 30_000, 40, 20, 40, 20, 1, 60_000, 60_000, 1000);
    PeerNode a = node("a", PeerNode.newKey(), PeerNode.Desk.none(), strict);
    PeerNode b = node("b", (vertx, request) -> Future.succeededFuture(List.of(
        PeerNode.offer(coop, request, coop.driver(1), coop.driver(1)),   // good
        PeerNode.offer(coop, request, stranger, stranger),               // not a member
        PeerNode.offer(coop, request, coop.driver(1), stranger))));      // forged driver signature
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), porto);
    a.join();

    List<SignedOffer> offers = a.federation.ask(request(porto)).await();

    assertThat(offers).hasSize(1);
    assertThat(offers.get(0).offer().driver()).isEqualToIgnoringCase(coop.driver(1).getAddress());
    assertThat(a.dropped(b)).isEqualTo(2.0);
    assertThat(a.federation.peers().ignored(b.address())).isTrue();
    assertThat(a.federation.peers().covering(porto)).isEmpty();
    assertThat(a.federation.ask(request(porto)).await()).isEmpty();
    assertThat(a.store.peers().find(b.address()).await()).hasValueSatisfying(p -> assertThat(p.failures()).isEqualTo(1));
  }

  @Test
  void answersSignedByAnUnregisteredNodeAreRefused() throws Exception {
    // B's endpoint is registered under key kB, but B signs with another key
    Credentials registered = PeerNode.newKey();
    PeerNode a = node("a", PeerNode.Desk.none());
    PeerNode b = node("b", PeerNode.newKey(), PeerNode.Desk.drivers(coop, coop.driver(1)), settings());
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), registered.getAddress(), porto);
    a.join();

    // A's request reaches B; B answers, signed by a key the registry does not know for that endpoint
    assertThat(a.federation.peers().covering(porto)).extracting(RegisteredNode::address)
        .containsExactly(registered.getAddress().toLowerCase());
    assertThat(a.federation.ask(request(porto)).await()).isEmpty();
    assertThat(a.store.peers().find(registered.getAddress()).await())
        .hasValueSatisfying(p -> assertThat(p.failures()).isEqualTo(1));
  }

  // ------------------------------------------------------------------ (d) the server's gate

  @Test
  void unknownSendersUnsignedAndForgedRequestsAreRefusedWithAReason() throws Exception {
    PeerNode a = node("a", PeerNode.Desk.drivers(coop, coop.driver(0)));
    a.register(coop, coop.driver(0), lisbon);
    Buffer body = PeerWire.encode(request(lisbon));

    HttpResponse<Buffer> unsigned = post(a, body, null).await();
    assertRefused(unsigned, 401, "unsigned");

    HttpResponse<Buffer> unknown = post(a, body, PeerNode.newKey()).await();
    assertRefused(unknown, 403, "unknown_peer");

    Credentials bKey = PeerNode.newKey();
    PeerNode b = node("b", bKey, PeerNode.Desk.none(), settings());
    b.register(coop, coop.driver(1), porto);
    PeerSignature sig = PeerSignature.sign(coop.ledgerDomain.chainId(), body.getBytes(), bKey,
        System.currentTimeMillis());
    HttpResponse<Buffer> tampered = send(a, Buffer.buffer(body.toString().replace("\"expiry\"", "\"expiry\" ")), sig)
        .await();
    assertRefused(tampered, 401, "bad_signature");

    PeerSignature old = PeerSignature.sign(coop.ledgerDomain.chainId(), body.getBytes(), bKey,
        System.currentTimeMillis() - 31_000);
    assertRefused(send(a, body, old).await(), 401, "stale_timestamp");

    PeerSignature otherChain = PeerSignature.sign(1, body.getBytes(), bKey, System.currentTimeMillis());
    assertRefused(send(a, body, otherChain).await(), 401, "bad_signature");
  }

  @Test
  void aRegisteredPeerIsAnsweredOnceAndItsReplayRefused() throws Exception {
    PeerNode a = node("a", PeerNode.Desk.drivers(coop, coop.driver(0)));
    Credentials bKey = PeerNode.newKey();
    PeerNode b = node("b", bKey, PeerNode.Desk.none(), settings());
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), porto);
    Buffer body = PeerWire.encode(request(lisbon));
    PeerSignature sig = PeerSignature.sign(coop.ledgerDomain.chainId(), body.getBytes(), bKey,
        System.currentTimeMillis());

    HttpResponse<Buffer> first = send(a, body, sig).await();
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getJsonArray("offers")).hasSize(1);
    PeerSignature answer = PeerGate.signature(first.headers());
    assertThat(answer.sender()).isEqualTo(a.address());
    assertThat(answer.verifies(coop.ledgerDomain.chainId(), first.body().getBytes())).isTrue();

    assertRefused(send(a, body, sig).await(), 401, "replayed_nonce");
  }

  @Test
  void aPeerBeyondItsRateGets429() throws Exception {
    PeerNode a = node("a", PeerNode.newKey(), PeerNode.Desk.drivers(coop, coop.driver(0)),
        settings().withInboundLimit(3, 0.01));
    Credentials bKey = PeerNode.newKey();
    PeerNode b = node("b", bKey, PeerNode.Desk.none(), settings());
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), porto);
    Buffer body = PeerWire.encode(request(lisbon));

    for (int i = 0; i < 3; i++) {
      assertThat(post(a, body, bKey).await().statusCode()).isEqualTo(200);
    }
    assertRefused(post(a, body, bKey).await(), 429, "rate_limited");
  }

  @Test
  void aRemovedNodeIsForgottenAndRefused() throws Exception {
    PeerNode a = node("a", PeerNode.Desk.drivers(coop, coop.driver(0)));
    Credentials bKey = PeerNode.newKey();
    PeerNode b = node("b", bKey, PeerNode.Desk.none(), settings());
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), porto);
    a.join();
    assertThat(a.federation.peers().peers()).extracting(RegisteredNode::address).containsExactly(b.address());

    coop.membership(coop.driver(1)).removeNode(bKey.getAddress()).send();
    a.federation.onNodeChanged(bKey.getAddress()).await();

    assertThat(a.federation.peers().peers()).isEmpty();
    assertThat(a.store.peers().find(b.address()).await()).isEmpty();
    assertRefused(post(a, PeerWire.encode(request(lisbon)), bKey).await(), 403, "unknown_peer");
  }

  @Test
  void aNodeWhoseOperatorLeftTheCoopIsExcludedAndRefused() throws Exception {
    PeerNode a = node("a", PeerNode.Desk.drivers(coop, coop.driver(0)));
    Credentials bKey = PeerNode.newKey();
    PeerNode b = node("b", bKey, PeerNode.Desk.none(), settings());
    a.register(coop, coop.driver(0), lisbon);
    b.register(coop, coop.driver(1), porto);
    a.join();
    assertThat(a.federation.peers().covering(porto)).hasSize(1);

    Credentials operator = coop.driver(1);
    coop.membership(operator).requestLeave().send();
    coop.chain.increaseTime(coop.membership(operator).leaveNotice().send().longValueExact() + 1);
    coop.membership(operator).completeLeave().send();
    a.federation.onMembersChanged().await();

    assertThat(a.federation.peers().covering(porto)).isEmpty();
    assertThat(a.store.peers().find(b.address()).await()).hasValueSatisfying(p -> {
      assertThat(p.status()).isEqualTo(org.ridecoop.node.store.PeerStatus.EXCLUDED);
      assertThat(p.statusReason()).hasValue("operator is not an active driver member");
    });
    assertRefused(post(a, PeerWire.encode(request(lisbon)), bKey).await(), 403, "unknown_peer");
  }

  // ------------------------------------------------------------------ helpers

  Future<HttpResponse<Buffer>> post(PeerNode to, Buffer body, Credentials as) {
    PeerSignature sig = as == null ? null
        : PeerSignature.sign(coop.ledgerDomain.chainId(), body.getBytes(), as, System.currentTimeMillis());
    return send(to, body, sig);
  }

  Future<HttpResponse<Buffer>> send(PeerNode to, Buffer body, PeerSignature sig) {
    if (client == null) {
      client = Vertx.vertx();
    }
    HttpRequest<Buffer> req = WebClient.create(client).post(to.port, "127.0.0.1", PeerRoutes.REQUESTS)
        .putHeader("content-type", "application/json");
    if (sig != null) {
      req.putHeader(PeerSignature.SENDER, sig.sender())
          .putHeader(PeerSignature.TIMESTAMP, Long.toString(sig.timestamp()))
          .putHeader(PeerSignature.NONCE, sig.nonce())
          .putHeader(PeerSignature.SIGNATURE, sig.signatureHex());
    }
    return req.sendBuffer(body);
  }

  static void assertRefused(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject json = response.bodyAsJsonObject();
    assertThat(json.getString("error")).isEqualTo(code);
    assertThat(json.getString("reason")).isNotBlank();
  }
}
