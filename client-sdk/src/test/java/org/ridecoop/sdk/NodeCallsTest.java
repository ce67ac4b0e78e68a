package org.ridecoop.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ridecoop.protocol.SignedCall;
import org.web3j.crypto.Credentials;

/**
 * Node selection and fail-over against real sockets: a port where nothing listens, and small HTTP
 * servers on loopback standing in for nodes that answer 200, 4xx or 5xx.
 */
class NodeCallsTest {
  final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A server answering every request with {@code status} and {@code body}; counts the requests. */
  URI server(int status, String body, AtomicInteger hits, List<HttpExchangeRecord> seen) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/", ex -> {
      hits.incrementAndGet();
      seen.add(HttpExchangeRecord.of(ex));
      byte[] out = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("content-type", "application/json");
      ex.sendResponseHeaders(status, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    s.start();
    servers.add(s);
    return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
  }

  /** What a server saw of a request. */
  record HttpExchangeRecord(String method, String path, byte[] body, SignedCall call) {
    static HttpExchangeRecord of(HttpExchange ex) throws IOException {
      var h = ex.getRequestHeaders();
      SignedCall call = null;
      try {
        call = SignedCall.fromHeaders(h.getFirst(SignedCall.ADDRESS_HEADER), h.getFirst(SignedCall.NONCE_HEADER),
            h.getFirst(SignedCall.EXPIRY_HEADER), h.getFirst(SignedCall.SIGNATURE_HEADER));
      } catch (SignedCall.Refused unsigned) {
        // an unsigned call
      }
      return new HttpExchangeRecord(ex.getRequestMethod(), ex.getRequestURI().getPath(),
          ex.getRequestBody().readAllBytes(), call);
    }
  }

  static URI deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  static NodeCalls calls(URI... nodes) {
    return new NodeCalls(new NodeRoster(List.of(nodes), Duration.ofSeconds(30), Clock.systemUTC()),
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build(),
        Duration.ofSeconds(2), new ObjectMapper());
  }

  @Test
  void aDeadFirstNodeIsSkippedAndThenAvoidedDuringItsCoolDown() throws Exception {
    URI dead = deadPort();
    AtomicInteger hits = new AtomicInteger();
    URI live = server(200, "{\"fare\": 1234}", hits, new CopyOnWriteArrayList<>());
    NodeCalls calls = calls(dead, live);

    NodeCalls.Answer first = calls.send(NodeCalls.Call.get("/v1/quotes"));
    assertThat(first.node()).isEqualTo(live);
    assertThat(first.body().path("fare").asLong()).isEqualTo(1234);
    assertThat(calls.roster().isDown(dead)).isTrue();
    assertThat(calls.roster().inOrder()).containsExactly(live, dead);
    assertThat(calls.roster().preferred()).isEqualTo(live);

    calls.send(NodeCalls.Call.get("/v1/quotes"));
    assertThat(hits.get()).isEqualTo(2);
  }

  @Test
  void a5xxFailsOverAndA4xxIsTheCallersFaultWithTheNodesReason() throws Exception {
    AtomicInteger broken = new AtomicInteger();
    AtomicInteger good = new AtomicInteger();
    URI failing = server(503, "{\"error\":\"internal\",\"reason\":\"disk full\"}", broken, new ArrayList<>());
    URI refusing = server(409, "{\"error\":\"wrong_ride_nonce\",\"reason\":\"the next ride nonce is 3, not 2\"}",
        good, new ArrayList<>());
    NodeCalls calls = calls(failing, refusing);

    assertThatThrownBy(() -> calls.send(NodeCalls.Call.post("/v1/rides", "{}".getBytes(), null)))
        .isInstanceOfSatisfying(NodeRefusedException.class, e -> {
          assertThat(e.node()).isEqualTo(refusing);
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.error()).isEqualTo("wrong_ride_nonce");
          assertThat(e.reason()).isEqualTo("the next ride nonce is 3, not 2");
        });
    assertThat(broken.get()).isEqualTo(1);
    assertThat(good.get()).isEqualTo(1);
    assertThat(calls.roster().isDown(failing)).isTrue();
    assertThat(calls.roster().isDown(refusing)).isFalse();
  }

  @Test
  void aNodeThatDoesNotAnswerInTimeIsLeftForTheNext() throws Exception {
    HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    silent.createContext("/", ex -> {
      try {
        Thread.sleep(5_000); // longer than the call timeout
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    silent.start();
    servers.add(silent);
    URI slow = URI.create("http://127.0.0.1:" + silent.getAddress().getPort());
    URI live = server(200, "{\"fare\": 99}", new AtomicInteger(), new ArrayList<>());

    long started = System.nanoTime();
    NodeCalls.Answer answer = calls(slow, live).send(NodeCalls.Call.get("/v1/quotes"));
    long tookMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(answer.node()).isEqualTo(live);
    assertThat(tookMillis).isBetween(2_000L, 4_500L); // the 2 s timeout, then the next node at once
  }

  @Test
  void whenEveryNodeFailsTheExceptionNamesEachAndWhy() throws Exception {
    URI dead = deadPort();
    URI failing = server(500, "oops", new AtomicInteger(), new ArrayList<>());
    NodeCalls calls = calls(dead, failing);
    assertThatThrownBy(() -> calls.send(NodeCalls.Call.get("/v1/rides/1")))
        .isInstanceOfSatisfying(NoNodeAvailableException.class, e -> {
          assertThat(e.failures()).hasSize(2);
          assertThat(e.failures().get(0)).startsWith(dead.toString()).contains("ConnectException");
          assertThat(e.failures().get(1)).startsWith(failing.toString()).contains("HTTP 500");
        });
    // Both cooling down: they are still tried, in order, rather than giving up.
    assertThat(calls.roster().inOrder()).containsExactly(dead, failing);
  }

  @Test
  void aSignedCallIsSignedAfreshForEachNodeAndVerifiesThere() throws Exception {
    Credentials rider = Credentials.create("0x" + "4c".repeat(32)); // a fixed test key
    List<HttpExchangeRecord> seenA = new CopyOnWriteArrayList<>();
    List<HttpExchangeRecord> seenB = new CopyOnWriteArrayList<>();
    URI a = server(502, "bad gateway", new AtomicInteger(), seenA);
    URI b = server(200, "{\"state\":\"cancelled\"}", new AtomicInteger(), seenB);
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

    NodeCalls.Answer answer = calls(a, b).send(NodeCalls.Call.post("/v1/rides/7/cancel", body, rider));

    assertThat(answer.node()).isEqualTo(b);
    SignedCall atA = seenA.get(0).call();
    SignedCall atB = seenB.get(0).call();
    long now = System.currentTimeMillis() / 1000;
    assertThat(atB.verify("POST", "/v1/rides/7/cancel", seenB.get(0).body(), now))
        .isEqualTo(rider.getAddress().toLowerCase(java.util.Locale.ROOT));
    assertThat(atA.verify("POST", "/v1/rides/7/cancel", seenA.get(0).body(), now)).isEqualTo(atB.verify(
        "POST", "/v1/rides/7/cancel", seenB.get(0).body(), now));
    assertThat(atA.nonce()).isNotEqualTo(atB.nonce());
    assertThat(atB.expiry()).isBetween(now, now + SignedCall.MAX_VALIDITY_SECONDS);
    // Signed for this path and body only.
    assertThatThrownBy(() -> atB.verify("POST", "/v1/rides/8/cancel", seenB.get(0).body(), now))
        .isInstanceOf(SignedCall.Refused.class);
  }
}
