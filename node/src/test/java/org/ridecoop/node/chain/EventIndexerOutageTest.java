package org.ridecoop.node.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.devchain.AnvilChain;
import org.ridecoop.node.store.SqliteStore;
import org.ridecoop.test.CoopFixture;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** The indexer across a chain outage: it backfills from its stored cursor and delivers every event once. */
class EventIndexerOutageTest {

  @TempDir
  Path dir;

  AnvilChain chain;
  CoopFixture f;
  Vertx vertx;
  SqliteStore store;
  Web3j web3j;

  @BeforeEach
  void start() throws Exception {
    chain = AnvilChain.builder().stateFile(dir.resolve("anvil-state.json")).start();
    f = CoopFixture.deploy(chain, chain.access());
    vertx = Vertx.vertx();
    store = SqliteStore.open(vertx, dir.resolve("data")).await();
    web3j = Web3j.build(new HttpService(chain.rpcUrl()));
  }

  @AfterEach
  void stop() {
    if (store != null) {
      store.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (web3j != null) {
      web3j.shutdown();
    }
    if (chain != null) {
      chain.close();
    }
  }

  EventIndexer indexer() {
    return new EventIndexer(web3j, f.manifest.address("RideLedger"), f.manifest.address("Membership"),
        f.manifest.address("FareSchedule"), store.indexerCursor("ledger"),
        new EventIndexer.Settings(Duration.ofMillis(50), 3, f.manifest.deploymentBlock(), Duration.ofMillis(400)));
  }

  static <T> T eventually(Callable<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    T value = probe.call();
    while (!done.test(value)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not reached in 30 s; last value " + value);
      }
      Thread.sleep(50);
      value = probe.call();
    }
    return value;
  }

  static long count(List<LedgerEvent> events, Class<? extends LedgerEvent> type) {
    synchronized (events) {
      return events.stream().filter(type::isInstance).count();
    }
  }

  void book(int rides) throws Exception {
    Credentials driver = f.driver(0);
    for (int i = 0; i < rides; i++) {
      Credentials rider = f.rider(i);
      f.deposit(rider, 50_000_000);
      f.book(rider, driver, 20_000_000);
    }
  }

  @Test
  void catchesUpAfterTheChainComesBackAndDeliversEachEventOnce() throws Exception {
    f.join(f.driver(0), 0);
    List<LedgerEvent> seen = Collections.synchronizedList(new ArrayList<>());
    EventIndexer indexer = indexer();
    indexer.onEvent(seen::add);
    String deployment = vertx.deployVerticle(indexer).await();

    book(2);
    eventually(() -> count(seen, LedgerEvent.RideBooked.class), n -> n == 2);
    assertThat(count(seen, LedgerEvent.MemberJoined.class)).isEqualTo(1);
    assertThat(count(seen, LedgerEvent.FareSchedulePublished.class)).as("the deployment's first schedule").isEqualTo(1);

    chain.stop();
    eventually(indexer::rpcDownSince, java.util.Optional::isPresent);
    Thread.sleep(500); // several failed polls while it is down
    chain.restart(); // same port and state; its own ChainAccess re-reads nonces

    book(3); // riders 0..2 again: nonces and escrows carry on
    eventually(() -> count(seen, LedgerEvent.RideBooked.class), n -> n == 5);
    eventually(indexer::rpcDownSince, java.util.Optional::isEmpty);
    eventually(indexer::lag, lag -> lag == 0);

    List<LedgerEvent> all;
    synchronized (seen) {
      all = List.copyOf(seen);
    }
    assertThat(new HashSet<>(all.stream().map(LedgerEvent::position).toList())).as("no event twice").hasSize(all.size());
    assertThat(count(seen, LedgerEvent.MemberJoined.class)).isEqualTo(1);
    long lastBlock = all.get(all.size() - 1).block();
    assertThat(store.indexerCursor("ledger").lastProcessedBlock().await().orElseThrow()).isGreaterThanOrEqualTo(lastBlock);
    for (int i = 1; i < all.size(); i++) {
      LedgerEvent a = all.get(i - 1);
      LedgerEvent b = all.get(i);
      assertThat(a.block() < b.block() || (a.block() == b.block() && a.logIndex() < b.logIndex()))
          .as("chain order at %s", b.position()).isTrue();
    }

    // A new indexer on the same store (a node restart) delivers nothing old, and new events once.
    vertx.undeploy(deployment).await();
    List<LedgerEvent> after = Collections.synchronizedList(new ArrayList<>());
    EventIndexer again = indexer();
    again.onEvent(after::add);
    vertx.deployVerticle(again).await();
    eventually(again::lag, lag -> lag == 0);
    assertThat(after).isEmpty();
    book(1);
    eventually(() -> count(after, LedgerEvent.RideBooked.class), n -> n == 1);
    Thread.sleep(300);
    assertThat(after).hasSize(1);
    assertThat(indexer.delivered()).isEqualTo(all.size());
  }
}
