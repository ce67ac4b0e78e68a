package org.ridecoop.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.h3core.H3Core;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.chain.ChainAccess;
import org.ridecoop.contracts.Membership;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.governance.Proposal;
import org.ridecoop.node.NodeComponent;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.NodeServices;
import org.ridecoop.node.chain.ChainNode;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.store.PeerStatus;
import org.ridecoop.protocol.MessageSigner;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.test.AnvilExtension;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.RemoteFunctionCall;

/**
 * A real node (chain component, federation, event indexer, HTTP) follows the registry's and
 * membership's events: peers removed, or whose operator left or was suspended by governance, are
 * refused and no longer asked, and a new or reinstated peer is asked, as soon as the event is indexed. Its periodic registry refresh is set to ten
 * minutes, so only the events can have made the change within the test.
 */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationFollowsChainTest {

  /** Long enough that no periodic refresh happens while a test runs. */
  static final long REFRESH_MS = 600_000;
  /** How long an indexed event may take to reach the peer book (indexer polls every 50 ms). */
  static final long EVENT_DEADLINE_MS = 10_000;

  CoopFixture coop;
  long porto;
  final List<AutoCloseable> running = new ArrayList<>();
  Vertx client;

  @TempDir
  Path dir;

  @BeforeAll
  void deploy(AnvilChain chain, ChainAccess access) throws Exception {
    coop = CoopFixture.deploy(chain, access);
    for (int i = 0; i < 5; i++) {
      coop.join(coop.driver(i), 0);
    }
    porto = H3Core.newInstance().latLngToCell(41.1579, -8.6291, 7);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running.reversed()) {
      c.close();
    }
    running.clear();
    if (client != null) {
      client.close().await();
      client = null;
    }
  }

  // ------------------------------------------------------------------ removed from the registry

  @Test
  void aPeerRemovedFromTheRegistryIsRefusedAndNoLongerAskedOnceTheRemovalIsIndexed() throws Exception {
    Credentials bKey = PeerNode.newKey();
    AtomicInteger askedB = new AtomicInteger();
    PeerNode b = peer("b", bKey, askedB, coop.driver(1));
    b.register(coop, coop.driver(1), porto);
    Node a = node("a");
    assertThat(a.federation().ask(request()).await()).hasSize(1);
    assertThat(askedB).hasValue(1);

    coop.membership(coop.driver(1)).removeNode(bKey.getAddress()).send();
    long tookMs = untilMs(() -> a.federation().peers().covering(porto).isEmpty());

    System.out.printf("removal reached the peer book %d ms after the transaction%n", tookMs);
    assertThat(tookMs).isLessThan(EVENT_DEADLINE_MS);
    assertThat(a.federation().ask(request()).await()).isEmpty();
    assertThat(askedB).as("B is not asked any more").hasValue(1);
    assertThat(a.runtime.services().store().peers().find(b.address()).await()).isEmpty();
    assertRefused(post(a, bKey).await(), 403, "unknown_peer");
  }

  // ------------------------------------------------------------------ operator no longer a member

  @Test
  void aPeerWhoseOperatorLeftTheCoopIsRefusedOnceTheLeavingIsIndexed() throws Exception {
    Credentials operator = coop.driver(2);
    Credentials cKey = PeerNode.newKey();
    AtomicInteger askedC = new AtomicInteger();
    PeerNode c = peer("c", cKey, askedC, operator);
    c.register(coop, operator, porto);
    Node a = node("a");
    assertThat(a.federation().peers().covering(porto)).extracting(RegisteredNode::address)
        .containsExactly(c.address());
    assertThat(post(a, cKey).await().statusCode()).isEqualTo(200);

    coop.membership(operator).requestLeave().send();
    coop.chain.increaseTime(coop.membership(operator).leaveNotice().send().longValueExact() + 1);
    coop.membership(operator).completeLeave().send();
    long tookMs = untilMs(() -> a.federation().peers().covering(porto).isEmpty());

    System.out.printf("operator's leaving reached the peer book %d ms after the transaction%n", tookMs);
    assertThat(tookMs).isLessThan(EVENT_DEADLINE_MS);
    assertThat(a.federation().ask(request()).await()).isEmpty();
    assertThat(askedC).hasValue(0);
    // the peer book drops the peer first, then records the exclusion in the store
    untilMs(() -> a.runtime.services().store().peers().find(c.address()).await()
        .filter(p -> p.status() == PeerStatus.EXCLUDED).isPresent());
    assertThat(a.runtime.services().store().peers().find(c.address()).await()).hasValueSatisfying(p -> {
      assertThat(p.status()).isEqualTo(PeerStatus.EXCLUDED);
      assertThat(p.statusReason()).hasValue("operator is not an active driver member");
    });
    assertRefused(post(a, cKey).await(), 403, "unknown_peer");
  }

  // ------------------------------------------------------------------ governance

  @Test
  void aPeerWhoseOperatorGovernanceSuspendsIsRefusedAndIsAskedAgainOnceReinstated() throws Exception {
    Credentials operator = coop.driver(4);
    Credentials eKey = PeerNode.newKey();
    AtomicInteger askedE = new AtomicInteger();
    PeerNode e = peer("e", eKey, askedE, operator);
    e.register(coop, operator, porto);
    Node a = node("a");
    assertThat(a.federation().peers().covering(porto)).extracting(RegisteredNode::address)
        .containsExactly(e.address());

    decide("Suspend the operator of node E", membership().suspend(operator.getAddress(), REASON));
    long suspendedMs = untilMs(() -> a.federation().peers().covering(porto).isEmpty());

    System.out.printf("suspension reached the peer book %d ms after its execution%n", suspendedMs);
    assertThat(suspendedMs).isLessThan(EVENT_DEADLINE_MS);
    assertThat(a.federation().ask(request()).await()).isEmpty();
    assertThat(askedE).hasValue(0);
    assertRefused(post(a, eKey).await(), 403, "unknown_peer");
    assertThat(a.runtime.services().store().peers().find(e.address()).await())
        .hasValueSatisfying(p -> assertThat(p.status()).isEqualTo(PeerStatus.EXCLUDED));

    decide("Reinstate the operator of node E", membership().reinstate(operator.getAddress(), REASON));
    long reinstatedMs = untilMs(() -> !a.federation().peers().covering(porto).isEmpty());

    System.out.printf("reinstatement reached the peer book %d ms after its execution%n", reinstatedMs);
    assertThat(reinstatedMs).isLessThan(EVENT_DEADLINE_MS);
    assertThat(a.federation().ask(request()).await()).singleElement()
        .satisfies(o -> assertThat(o.offer().driver()).isEqualToIgnoringCase(operator.getAddress()));
    assertThat(askedE).hasValue(1);
    assertThat(a.runtime.services().store().peers().find(e.address()).await())
        .hasValueSatisfying(p -> assertThat(p.status()).isNotEqualTo(PeerStatus.EXCLUDED));
  }

  // ------------------------------------------------------------------ newly registered

  @Test
  void aNodeRegisteredAfterStartIsAskedWithoutWaitingForTheRefresh() throws Exception {
    Node a = node("a");
    assertThat(a.federation().peers().covering(porto)).isEmpty();
    Credentials dKey = PeerNode.newKey();
    AtomicInteger askedD = new AtomicInteger();
    PeerNode d = peer("d", dKey, askedD, coop.driver(3));

    d.register(coop, coop.driver(3), porto);
    long tookMs = untilMs(() -> !a.federation().peers().covering(porto).isEmpty());

    System.out.printf("registration reached the peer book %d ms after the transaction%n", tookMs);
    assertThat(tookMs).isLessThan(EVENT_DEADLINE_MS);
    assertThat(a.federation().peers().covering(porto)).extracting(RegisteredNode::address)
        .containsExactly(d.address());
    assertThat(a.federation().ask(request()).await()).singleElement()
        .satisfies(o -> assertThat(o.offer().driver()).isEqualToIgnoringCase(coop.driver(3).getAddress()));
    assertThat(askedD).hasValue(1);
  }

  // ------------------------------------------------------------------ helpers

  static final byte[] REASON = Hash.sha3("repeated no-shows".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  Membership membership() {
    return coop.membership(coop.driver(0));
  }

  /** Carries {@code call} on Membership through governance: drivers 0, 1 and 3 vote for it. */
  void decide(String description, RemoteFunctionCall<?> call) throws Exception {
    coop.carry(Proposal.describedAs(description).call(membership(), call).build(),
        List.of(coop.driver(0), coop.driver(1), coop.driver(3)));
  }

  /** A running node: chain component, federation (10-minute refresh), settlement, indexer. */
  record Node(NodeRuntime runtime, FederationOnly part) implements AutoCloseable {
    Federation federation() {
      return part.inner.federation();
    }

    @Override
    public void close() {
      runtime.stop().await();
    }
  }

  /** Federation as the node assembles it, minus the ride desk: the registry is read through the node's Vert.x. */
  final class FederationOnly implements NodeComponent {
    volatile FederationComponent inner;

    @Override
    public String name() {
      return "federation";
    }

    @Override
    public Future<Void> start(NodeServices services) {
      inner = new FederationComponent(new MembershipRegistry(services.vertx(), services.chain().membership()),
          coop.ledgerDomain, request -> Future.succeededFuture(List.of()),
          new FederationSettings(5_000, 30_000, 40, 20, 40, 20, 3, 60_000, REFRESH_MS, 1_000));
      return inner.start(services);
    }

    @Override
    public Future<Void> stop() {
      return inner == null ? Future.succeededFuture() : inner.stop();
    }
  }

  /** Node A, keyed and operated by driver 0, serving another cell than the peers. */
  Node node(String name) throws Exception {
    ChainNode chainNode = new ChainNode(dir.resolve(name), coop, coop.driver(0));
    int port = NodeFiles.freePort();
    NodeConfig config = chainNode.config(1, 60_000, "http://127.0.0.1:" + port, List.of(ChainNode.CELL), port,
        false, new NodeConfig.Matching(1000, 10_000));
    FederationOnly part = new FederationOnly();
    Node n = new Node(chainNode.start(config, part), part);
    running.add(n);
    return n;
  }

  /** A peer whose driver {@code driver} offers every request, counting the requests. */
  PeerNode peer(String name, Credentials key, AtomicInteger asked, Credentials driver) {
    PeerNode.Desk drivers = PeerNode.Desk.drivers(coop, driver);
    PeerNode p = PeerNode.start(coop, dir.resolve(name), key, (vertx, request) -> {
      asked.incrementAndGet();
      return drivers.offersFor(vertx, request);
    }, FederationSettings.defaults());
    running.add(p);
    return p;
  }

  SignedRideRequest request() throws Exception {
    Credentials rider = coop.rider(0);
    RideRequest r = new RideRequest(rider.getAddress(), porto, porto, BigInteger.valueOf(5_000_000), 0,
        System.currentTimeMillis() / 1000 + 300, RideRequest.newSalt());
    return new SignedRideRequest(r, MessageSigner.sign(coop.ledgerDomain, r.structHash(), rider));
  }

  /** Polls {@code done} every 20 ms; the milliseconds it took to hold (fails after 30 s). */
  static long untilMs(BooleanSupplier done) throws InterruptedException {
    long started = System.nanoTime();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - started > 30_000_000_000L) {
        throw new AssertionError("not reached in 30 s");
      }
      Thread.sleep(20);
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** A peer request to {@code to}'s HTTP server, signed by {@code as}. */
  Future<HttpResponse<Buffer>> post(Node to, Credentials as) throws Exception {
    if (client == null) {
      client = Vertx.vertx();
    }
    Buffer body = PeerWire.encode(request());
    PeerSignature sig = PeerSignature.sign(coop.ledgerDomain.chainId(), body.getBytes(), as,
        System.currentTimeMillis());
    return WebClient.create(client).post(to.runtime.httpPort(), "127.0.0.1", PeerRoutes.REQUESTS)
        .putHeader("content-type", "application/json")
        .putHeader(PeerSignature.SENDER, sig.sender())
        .putHeader(PeerSignature.TIMESTAMP, Long.toString(sig.timestamp()))
        .putHeader(PeerSignature.NONCE, sig.nonce())
        .putHeader(PeerSignature.SIGNATURE, sig.signatureHex())
        .sendBuffer(body);
  }

  static void assertRefused(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject json = response.bodyAsJsonObject();
    assertThat(json.getString("error")).isEqualTo(code);
    assertThat(json.getString("reason")).isNotBlank();
  }
}
