package org.ridecoop.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.node.api.ReadinessCheck;
import org.ridecoop.node.config.ConfigException;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.node.store.SqliteStore;
import org.ridecoop.node.store.StoreException;

/** A whole node started and stopped in-process, on real files and a real port. */
class NodeRuntimeTest {

  @TempDir
  Path dir;

  NodeFiles files;
  NodeConfig config;
  Map<String, String> env = new HashMap<>();
  Vertx client;
  List<String> events = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    files = NodeFiles.create(dir);
    config = NodeConfig.load(files.config(files.yaml(NodeFiles.freePort())), env);
    client = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    client.close().await();
  }

  JsonObject get(int port, String path, int expectedStatus) {
    var r = WebClient.create(client).get(port, "127.0.0.1", path).send().await();
    assertThat(r.statusCode()).as(path + " " + r.bodyAsString()).isEqualTo(expectedStatus);
    return path.equals("/metrics") ? new JsonObject().put("text", r.bodyAsString()) : r.bodyAsJsonObject();
  }

  static Throwable failure(Future<?> f) {
    return f.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)).await();
  }

  /** A component that records what happens to it and adds a readiness check. */
  NodeComponent component(String name, boolean failsToStart) {
    return new NodeComponent() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<Void> start(NodeServices services) {
        events.add("start " + name);
        if (failsToStart) {
          return Future.failedFuture("no chain at " + services.config().chain().rpcUrl());
        }
        services.addReadinessCheck(new ReadinessCheck(name, Future::succeededFuture));
        services.addRoutes(router -> router.get("/v1/" + name).handler(ctx -> ctx.json(new JsonObject()
            .put("address", services.key().address()))));
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> stop() {
        events.add("stop " + name);
        return Future.succeededFuture();
      }
    };
  }

  @Test
  void startsServesAndStopsCleanly() {
    NodeRuntime node = NodeRuntime.start(config, env, List.of(component("chain", false), component("indexer", false)))
        .await();
    int port = node.httpPort();
    assertThat(port).isEqualTo(config.http().port());

    assertThat(get(port, "/health/live", 200).getString("status")).isEqualTo("live");
    assertThat(get(port, "/health/ready", 200).getJsonObject("checks").fieldNames())
        .containsExactlyInAnyOrder("store", "chain", "indexer");
    assertThat(get(port, "/v1/chain", 200).getString("address")).isEqualTo(files.address);
    assertThat(get(port, "/metrics", 200).getString("text")).contains("ridecoop_queue_size{queue=\"receipts\"}");
    assertThat(node.services().key().address()).isEqualTo(files.address);

    node.stop().await();

    assertThat(node.terminated().succeeded()).isTrue();
    assertThat(events).containsExactly("start chain", "start indexer", "stop indexer", "stop chain");
    assertThat(node.stop().succeeded()).isTrue(); // a second stop is harmless
    // the database was closed and the directory released
    Vertx v = Vertx.vertx();
    try {
      SqliteStore again = SqliteStore.open(v, config.dataDir()).await();
      assertThat(again.migrationsApplied()).isZero();
      again.close().await();
    } finally {
      v.close().await();
    }
  }

  @Test
  void aFailingComponentStopsWhatStartedBeforeIt() {
    Throwable e = failure(NodeRuntime.start(config, env,
        List.of(component("store-user", false), component("chain", true), component("never", false))));

    assertThat(e).hasMessage("component chain failed to start: no chain at http://127.0.0.1:8545");
    assertThat(events).containsExactly("start store-user", "start chain", "stop store-user");
    // the store was closed: the directory can be opened again
    Vertx v = Vertx.vertx();
    try {
      SqliteStore.open(v, config.dataDir()).await().close().await();
    } finally {
      v.close().await();
    }
  }

  @Test
  void aWrongKeyPasswordIsAConfigError() throws Exception {
    java.nio.file.Files.writeString(files.passwordFile, "wrong");

    Throwable e = failure(NodeRuntime.start(config, env, List.of()));

    assertThat(e).isInstanceOf(ConfigException.class).hasMessageStartingWith("keystore.file: cannot decrypt");
  }

  @Test
  void aSecondNodeOnTheSameDataDirectoryIsRefused() throws Exception {
    NodeRuntime first = NodeRuntime.start(config, env, List.of()).await();
    try {
      NodeConfig other = NodeConfig.load(files.config(files.yaml(NodeFiles.freePort())), env);

      Throwable e = failure(NodeRuntime.start(other, env, List.of()));

      assertThat(e).isInstanceOf(StoreException.class).hasMessageContaining("in use by another ridecoop node");
      get(first.httpPort(), "/health/ready", 200);
    } finally {
      first.stop().await();
    }
  }

  @Test
  void aPortInUseFailsTheStart() throws Exception {
    NodeRuntime first = NodeRuntime.start(config, env, List.of()).await();
    try {
      Path otherDir = java.nio.file.Files.createDirectories(dir.resolve("second"));
      NodeFiles second = NodeFiles.create(otherDir);
      NodeConfig clash = NodeConfig.load(second.config(second.yaml(first.httpPort())), env);

      Throwable e = failure(NodeRuntime.start(clash, env, List.of()));

      assertThat(e).isNotNull();
      assertThat(e.getMessage()).containsIgnoringCase("address already in use");
    } finally {
      first.stop().await();
    }
  }
}
