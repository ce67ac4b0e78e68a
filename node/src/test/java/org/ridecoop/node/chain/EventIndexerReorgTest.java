package org.ridecoop.node.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.NodeFiles;
import org.ridecoop.node.NodeRuntime;
import org.ridecoop.node.config.NodeConfig;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;

/**
 * A running node whose chain goes backwards under it (Anvil reverted to an earlier snapshot, as
 * when a development chain restarts without its state): the node must say it is not ready and
 * why, rewind its indexer, apply the new chain's events, and be ready again once the chain is back
 * at the height it had seen.
 */
class EventIndexerReorgTest {

  @TempDir
  Path dir;

  AnvilChain chain;
  CoopFixture coop;
  NodeRuntime node;
  Vertx client;
  WebClient http;
  int port;

  @BeforeEach
  void start() throws Exception {
    chain = AnvilChain.start();
    coop = CoopFixture.deploy(chain, chain.access());
    coop.join(coop.driver(2), 0); // the node's key: registered nodes are driver members
    client = Vertx.vertx();
    http = WebClient.create(client);
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop().await();
    }
    client.close().await();
    chain.close();
  }

  HttpResponse<Buffer> ready() {
    return http.get(port, "127.0.0.1", "/health/ready").timeout(10_000).send().await();
  }

  HttpResponse<Buffer> awaitReady(boolean wanted) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    HttpResponse<Buffer> r = ready();
    while ((r.statusCode() == 200) != wanted && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      r = ready();
    }
    assertThat(r.statusCode() == 200).as(r.bodyAsString()).isEqualTo(wanted);
    return r;
  }

  long cursor() {
    return node.services().ledgerEvents().lastProcessedBlock().orElse(-1);
  }

  @Test
  void aChainThatWentBehindTheCursorIsDetectedAndReSynced() throws Exception {
    port = NodeFiles.freePort();
    ChainNode files = new ChainNode(dir.resolve("node"), coop, coop.driver(2));
    node = files.start(files.config(10, 60_000, "http://127.0.0.1:" + port, List.of(ChainNode.CELL), port, false,
        new NodeConfig.Matching(100, 12_000)));
    Credentials newcomer = coop.driver(4);
    AtomicInteger joins = new AtomicInteger();
    node.services().ledgerEvents().onEvent(e -> {
      if (e instanceof org.ridecoop.node.chain.LedgerEvent.MemberJoined j
          && j.account().equalsIgnoreCase(newcomer.getAddress())) {
        joins.incrementAndGet();
      }
    });
    awaitReady(true);

    // The node follows a chain 200 blocks past the snapshot, a member joining on the way.
    String snapshot = chain.snapshot();
    long snapshotHead = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    coop.join(newcomer, 0);
    chain.mine(200);
    long seen = snapshotHead + 201;
    long deadline = System.currentTimeMillis() + 20_000;
    while ((cursor() < seen || joins.get() < 1) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(cursor()).isGreaterThanOrEqualTo(seen);
    assertThat(joins.get()).isEqualTo(1);

    // The chain goes back to the snapshot: its head is now behind the node's cursor.
    chain.revert(snapshot);
    HttpResponse<Buffer> notReady = awaitReady(false);
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.bodyAsJsonObject().getString("reason"))
        .contains("behind the indexer's cursor").contains("re-syncing");
    // It stays so while the chain is behind what the node had seen (nothing is mined).
    Thread.sleep(500);
    assertThat(ready().statusCode()).isEqualTo(503);
    assertThat(cursor()).isLessThanOrEqualTo(snapshotHead);
    assertThat(http.get(port, "127.0.0.1", "/metrics").send().await().bodyAsString())
        .containsPattern("ridecoop_indexer_resyncs_total(\\{[^}]*\\})? [1-9]");

    // The new chain's events are applied (the same join, again), and once the chain is past the
    // height the node had seen, it is ready.
    coop.join(newcomer, 0);
    chain.mine(250);
    awaitReady(true);
    assertThat(joins.get()).isEqualTo(2);
    assertThat(cursor()).isGreaterThanOrEqualTo(seen);
  }
}
