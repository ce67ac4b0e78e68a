package org.ridecoop.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ridecoop.node.NodeRuntime;
import org.slf4j.LoggerFactory;

/** The HTTP server over a real socket, with Vert.x metrics on as in a running node. */
@ExtendWith(VertxExtension.class)
class HttpApiVerticleTest {

  /** A request body type for the strict-JSON routes. */
  record RideBody(long pickupCell, String rider, List<Integer> stops, @OptionalField String note) {}

  Vertx vertx;
  PrometheusMeterRegistry registry;
  NodeMetrics metrics;
  WebClient client;
  final AtomicReference<String> chainDown = new AtomicReference<>();
  volatile boolean indexerHangs;

  @BeforeEach
  void deploy(VertxTestContext ctx) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = NodeRuntime.createVertx(registry);
    metrics = new NodeMetrics(registry);
    List<ReadinessCheck> checks = List.of(
        new ReadinessCheck("chain", () -> chainDown.get() == null
            ? Future.succeededFuture() : Future.failedFuture(chainDown.get())),
        new ReadinessCheck("indexer", () -> indexerHangs ? Promise.promise().future() : Future.succeededFuture()));
    ApiRoutes testRoutes = router -> {
      router.post("/v1/test/rides").handler(c -> {
        RideBody body = StrictJson.read(c, RideBody.class);
        c.json(new JsonObject().put("pickupCell", body.pickupCell()).put("note", body.note()));
      });
      router.get("/v1/test/conflict").handler(c -> {
        throw new ApiError(409, "already_booked", "ride 7 is already booked");
      });
      router.get("/v1/test/bug").handler(c -> {
        throw new IllegalStateException("a secret internal detail");
      });
    };
    HttpApiVerticle http = new HttpApiVerticle(
        new HttpApiVerticle.Settings("127.0.0.1", 0, HttpApiVerticle.DEFAULT_BODY_LIMIT), registry, checks,
        List.of(testRoutes));
    vertx.deployVerticle(http).onComplete(ctx.succeeding(id -> {
      client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(http.port()));
      ctx.completeNow();
    }));
  }

  @AfterEach
  void close(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  /** Runs {@code check} on the response of {@code request}, completing the test. */
  static void expect(VertxTestContext ctx, Future<HttpResponse<Buffer>> request, Consumer<HttpResponse<Buffer>> check) {
    request.onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      check.accept(r);
      ctx.completeNow();
    })));
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code, String reason) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("error", "reason");
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("reason")).isEqualTo(reason);
  }

  Future<HttpResponse<Buffer>> post(String json) {
    return client.post("/v1/test/rides").putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(json));
  }

  // ---------------------------------------------------------------- operator endpoints

  @Test
  void liveness(VertxTestContext ctx) {
    expect(ctx, client.get("/health/live").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "live"));
    });
  }

  @Test
  void readyWhenEveryCheckPasses(VertxTestContext ctx) {
    expect(ctx, client.get("/health/ready").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "ready")
          .put("checks", new JsonObject().put("chain", "ok").put("indexer", "ok")));
    });
  }

  @Test
  void notReadyNamesTheFailingCheckAndWhy(VertxTestContext ctx) {
    chainDown.set("connection refused: http://127.0.0.1:8545");

    expect(ctx, client.get("/health/ready").send(),
        r -> assertError(r, 503, "not_ready", "not ready: chain: connection refused: http://127.0.0.1:8545"));
  }

  @Test
  void aCheckThatDoesNotAnswerFailsAfterTheTimeout(VertxTestContext ctx) {
    indexerHangs = true;
    chainDown.set("down");

    expect(ctx, client.get("/health/ready").send(), r -> assertError(r, 503, "not_ready",
        "not ready: chain: down; indexer: no answer within " + HttpApiVerticle.CHECK_TIMEOUT_MS + " ms"));
  }

  @Test
  void metricsArePrometheusTextWithVertxAndNodeMeters(VertxTestContext ctx) {
    metrics.matchMade();
    metrics.matchMade();
    metrics.matchMade();
    metrics.requestToOffer(Duration.ofMillis(250));
    metrics.queueSize(NodeMetrics.RECEIPTS, 4);
    metrics.gasSpent(BigInteger.valueOf(21_000));
    metrics.peers(2);

    expect(ctx, client.get("/health/live").send().compose(v -> client.get("/metrics").send()), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.getHeader("content-type")).startsWith("text/plain");
      String text = r.bodyAsString();
      assertThat(text)
          .contains("ridecoop_matches_total 3.0")
          .contains("ridecoop_request_offer_seconds_count 1")
          .contains("ridecoop_request_offer_seconds_bucket{le=")
          .contains("ridecoop_queue_size{queue=\"receipts\"} 4.0")
          .contains("ridecoop_queue_size{queue=\"requests\"} 0.0")
          .contains("ridecoop_gas_spent_total 21000.0")
          .contains("ridecoop_peers 2.0")
          .contains("vertx_http_server_requests_total{");
    });
  }

  @Test
  void servesTheOpenApiDocument(VertxTestContext ctx) {
    expect(ctx, client.get("/v1/openapi.json").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.getHeader("content-type")).isEqualTo("application/json");
      JsonObject doc = r.bodyAsJsonObject();
      assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
      assertThat(doc.getJsonObject("paths").fieldNames())
          .contains("/health/live", "/health/ready", "/metrics", "/v1/openapi.json");
      assertThat(doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Error")
          .getJsonArray("required").encode()).isEqualTo("[\"error\",\"reason\"]");
    });
  }

  @Test
  void logsOneLinePerRequest() throws Exception {
    Logger access = (Logger) LoggerFactory.getLogger("ridecoop.access");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    try {
      client.get("/health/live").send().await();
      client.get("/nowhere").send().await();
      long deadline = System.currentTimeMillis() + 2_000;
      while (lines.list.size() < 2 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
          l -> assertThat(l).matches("method=GET path=/health/live status=200 ms=\\d+"),
          l -> assertThat(l).matches("method=GET path=/nowhere status=404 ms=\\d+"));
    } finally {
      access.detachAppender(lines);
    }
  }

  // ---------------------------------------------------------------- the error model

  @Nested
  class Errors {

    @Test
    void anUnknownPathIs404(VertxTestContext ctx) {
      expect(ctx, client.get("/v1/nothing").send(),
          r -> assertError(r, 404, "not_found", "no such resource: GET /v1/nothing"));
    }

    @Test
    void aWrongMethodIs405(VertxTestContext ctx) {
      expect(ctx, client.delete("/health/live").send(),
          r -> assertError(r, 405, "method_not_allowed", "DELETE is not allowed on /health/live"));
    }

    @Test
    void anApiErrorKeepsItsStatusAndCode(VertxTestContext ctx) {
      expect(ctx, client.get("/v1/test/conflict").send(),
          r -> assertError(r, 409, "already_booked", "ride 7 is already booked"));
    }

    @Test
    void aBugIs500WithoutItsDetails(VertxTestContext ctx) {
      expect(ctx, client.get("/v1/test/bug").send(),
          r -> assertError(r, 500, "internal", "internal error; the node's log has the details"));
    }

    @Test
    void anOversizedBodyIs413(VertxTestContext ctx) {
      String big = "{\"note\": \"" + "x".repeat(70 * 1024) + "\"}";

      expect(ctx, post(big), r -> assertError(r, 413, "body_too_large",
          "the request body is larger than the limit of 65536 bytes"));
    }

    @Test
    void malformedJsonIs400WithWhereItBroke(VertxTestContext ctx) {
      expect(ctx, post("{\"pickupCell\": 12,"), r -> {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("malformed_json");
        assertThat(r.bodyAsJsonObject().getString("reason"))
            .startsWith("the request body is not valid JSON: ")
            .contains("(line 1, column ");
      });
    }

    @Test
    void anUnknownFieldIs400NamingIt(VertxTestContext ctx) {
      expect(ctx, post("{\"pickupCell\": 1, \"rider\": \"0xab\", \"stops\": [], \"colour\": \"red\"}"),
          r -> assertError(r, 400, "unknown_field", "unknown field 'colour'"));
    }

    @Test
    void aWrongTypeIs400NamingTheField(VertxTestContext ctx) {
      expect(ctx, post("{\"pickupCell\": \"12\", \"rider\": \"0xab\", \"stops\": []}"),
          r -> assertError(r, 400, "wrong_type", "field 'pickupCell' must be an integer"));
    }

    @Test
    void aMissingFieldIs400NamingIt(VertxTestContext ctx) {
      expect(ctx, post("{\"pickupCell\": 12, \"stops\": []}"),
          r -> assertError(r, 400, "missing_field", "field 'rider' is required"));
    }

    @Test
    void anEmptyBodyIs400(VertxTestContext ctx) {
      expect(ctx, client.post("/v1/test/rides").send(),
          r -> assertError(r, 400, "malformed_json", "the request body is empty; expected a JSON object"));
    }

    @Test
    void aBodyThatIsNotJsonByContentTypeIs415(VertxTestContext ctx) {
      expect(ctx, client.post("/v1/test/rides").putHeader("content-type", "text/plain")
          .sendBuffer(Buffer.buffer("{}")), r -> assertError(r, 415, "unsupported_media_type",
              "the request body must be application/json, got text/plain"));
    }

    @Test
    void aValidBodyPasses(VertxTestContext ctx) {
      expect(ctx, post("{\"pickupCell\": 12, \"rider\": \"0xab\", \"stops\": [1, 2]}"), r -> {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getLong("pickupCell")).isEqualTo(12L);
        assertThat(r.bodyAsJsonObject().getValue("note")).isNull();
      });
    }
  }
}
