package org.ridecoop.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideIds;
import org.ridecoop.protocol.RideRequest;
import org.ridecoop.protocol.TripReceipt;

class SqliteStoreTest {

  static final String RIDER = "0x" + "a1".repeat(20);
  static final String DRIVER = "0x" + "d2".repeat(20);
  static final long CELL = 0x8928308280fffffL;

  @TempDir
  Path dataDir;

  Vertx vertx;
  TestClock clock = new TestClock(1_700_000_000_000L);
  SqliteStore store;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    store = SqliteStore.open(vertx, dataDir, clock).await();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close().await();
    }
    vertx.close().await();
  }

  SqliteStore reopen() {
    store.close().await();
    store = SqliteStore.open(vertx, dataDir, clock).await();
    return store;
  }

  static Throwable failure(Future<?> f) {
    return f.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)).await();
  }

  static RideRequest request(long nonce, long expiry) {
    return new RideRequest(RIDER, CELL, CELL + 1, BigInteger.valueOf(25_000_000), nonce, expiry,
        RideRequest.newSalt());
  }

  static Offer offerFor(RideRequest r, long eta) {
    return new Offer(r.structHash(), r.rider(), DRIVER, r.maxFare(), r.rideNonce(), eta, 3, r.expiry());
  }

  static byte[] signature(int fill) {
    byte[] s = new byte[65];
    java.util.Arrays.fill(s, (byte) fill);
    return s;
  }

  static TripReceipt receipt(BigInteger rideId) {
    byte[] routeHash = new byte[32];
    java.util.Arrays.fill(routeHash, (byte) 7);
    return new TripReceipt(rideId, 5_400, 900, 1_700_000_100, 1_700_001_000, routeHash);
  }

  // ---------------------------------------------------------------- the database itself

  @Nested
  class Database {

    @Test
    void isAWalFileWithFullSyncAndTheNewestSchema() throws Exception {
      assertThat(store.file()).isEqualTo(dataDir.resolve("node.db")).exists();
      assertThat(store.pragma("journal_mode").await()).isEqualTo("wal");
      assertThat(store.pragma("synchronous").await()).isEqualTo("2"); // FULL
      assertThat(store.pragma("foreign_keys").await()).isEqualTo("1");
      assertThat(store.schemaVersion().await()).isEqualTo(Migrations.bundled().size());
      assertThat(store.migrationsApplied()).isEqualTo(Migrations.bundled().size());
    }

    @Test
    void migrationsRunOnceAcrossReopens() {
      assertThat(reopen().migrationsApplied()).isZero();
      assertThat(store.schemaVersion().await()).isEqualTo(Migrations.bundled().size());
    }

    @Test
    void applyingMigrationsAgainOnTheSameConnectionChangesNothing() throws Exception {
      store.close().await();
      store = null;
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("node.db"))) {
        assertThat(Migrations.apply(c, Migrations.bundled())).isZero();
        assertThat(Migrations.apply(c, Migrations.bundled())).isZero();
        assertThat(Migrations.currentVersion(c)).isEqualTo(Migrations.bundled().size());
      }
    }

    @Test
    void aFreshConnectionGetsEveryMigrationInOrder() throws Exception {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("other.db"))) {
        assertThat(Migrations.apply(c, Migrations.bundled())).isEqualTo(Migrations.bundled().size());
        try (Statement s = c.createStatement();
            var rs = s.executeQuery("SELECT version FROM schema_version ORDER BY applied_at, version")) {
          int expected = 1;
          while (rs.next()) {
            assertThat(rs.getInt(1)).isEqualTo(expected++);
          }
        }
      }
    }

    @Test
    void requestsStoredBeforeTheSaltAreDroppedWithTheirOffersWhenTheSchemaGetsIt() throws Exception {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("old.db"))) {
        assertThat(Migrations.apply(c, Migrations.bundled().subList(0, 2))).isEqualTo(2);
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO ride_request VALUES ('0xaa', '" + RIDER + "', 1, 2, '5', 0, 9, x'00', 1)");
          s.executeUpdate("INSERT INTO offer VALUES ('0xbb', '0xaa', '" + RIDER + "', '" + RIDER + "', '5', 0, 60, 1, 9, x'00', 1)");
        }
        // An unsalted request cannot be re-hashed under the salted type: it goes, its offers with it.
        assertThat(Migrations.apply(c, Migrations.bundled())).isEqualTo(Migrations.bundled().size() - 2);
        try (Statement s = c.createStatement();
            var rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM ride_request), (SELECT COUNT(*) FROM offer)")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isZero();
          assertThat(rs.getInt(2)).isZero();
        }
      }
    }

    @Test
    void refusesADatabaseFromANewerNode() throws Exception {
      store.close().await();
      store = null;
      execute("INSERT INTO schema_version (version, description, checksum, applied_at) VALUES (999, 'future', 'x', 0)");

      Throwable e = failure(SqliteStore.open(vertx, dataDir, clock));

      assertThat(e).isInstanceOf(StoreException.class)
          .hasMessageContaining("schema version 999, newer than this node knows");
      // and the refusal released the directory
      execute("DELETE FROM schema_version WHERE version = 999");
      store = SqliteStore.open(vertx, dataDir, clock).await();
    }

    @Test
    void refusesAMigrationEditedAfterItWasApplied() throws Exception {
      store.close().await();
      store = null;
      execute("UPDATE schema_version SET checksum = 'edited' WHERE version = 1");

      assertThat(failure(SqliteStore.open(vertx, dataDir, clock)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("schema migration 1 (initial schema");
    }

    @Test
    void oneDataDirectoryServesOneNode() {
      Throwable e = failure(SqliteStore.open(vertx, dataDir, clock));

      assertThat(e).isInstanceOf(StoreException.class).hasMessageContaining("is in use by another ridecoop node");
      reopen(); // after close, it opens again
    }

    @Test
    void aClosedStoreRefusesWork() {
      store.close().await();
      assertThat(failure(store.rides().openRequests())).isInstanceOf(StoreException.class)
          .hasMessageContaining("is closed");
      store = null;
    }

    @Test
    void migrationsSplitAtLineEndingSemicolons() {
      assertThat(Migrations.statements("""
          -- comment; with a semicolon;
          CREATE TABLE a (
            x INTEGER -- inline
          );

          CREATE INDEX i ON a (x);
          """)).containsExactly("CREATE TABLE a (\n  x INTEGER -- inline\n);", "CREATE INDEX i ON a (x);");
    }

    void execute(String sql) throws Exception {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("node.db"));
          Statement s = c.createStatement()) {
        s.executeUpdate(sql);
      }
    }
  }

  @Test
  void everythingAcknowledgedSurvivesCloseAndReopen() {
    RideRequest r = request(4, 1_800_000_000);
    OpenRequest open = new OpenRequest(r, signature(1), 111);
    BigInteger rideId = RideIds.of(RIDER, 3);
    store.rides().openRequest(open).await();
    store.rides().saveOffer(new SignedOffer(offerFor(r, 240), signature(2), 222)).await();
    store.rides().startRide(rideId, RIDER, DRIVER, BigInteger.TEN, 3).await();
    store.rides().moveRide(rideId, RideState.BOOKED, RideState.PICKED_UP).await();
    store.receipts().enqueue(new CoSignedReceipt(receipt(rideId), signature(3))).await();
    store.indexerCursor("ledger").advance(42, List.of(new EventKey("0xAB", 1, 42))).await();
    store.peers().register("0x" + "99".repeat(20), URI.create("https://peer.example.org"), List.of(CELL)).await();
    store.nonces().use(RIDER, "n-1", clock.millis() + 60_000).await();

    reopen();

    OpenRequest back = store.rides().request(open.requestHash()).await().orElseThrow();
    assertThat(back.request()).isEqualTo(r);
    // The salt is kept: a restarted node answers over the same request hash the rider signed.
    assertThat(back.request().salt()).isEqualTo(r.salt());
    assertThat(back.requestHash()).isEqualTo(open.requestHash());
    assertThat(back.riderSignature()).isEqualTo(signature(1));
    assertThat(back.receivedAt()).isEqualTo(111);
    SignedOffer offer = store.rides().offersFor(open.requestHash()).await().get(0);
    assertThat(offer.offer().structHash()).isEqualTo(offerFor(r, 240).structHash());
    assertThat(offer.driverSignature()).isEqualTo(signature(2));
    assertThat(store.rides().ride(rideId).await().orElseThrow().state()).isEqualTo(RideState.PICKED_UP);
    QueuedReceipt q = store.receipts().find(rideId).await().orElseThrow();
    assertThat(q.receipt().receipt().structHash()).isEqualTo(receipt(rideId).structHash());
    assertThat(q.receipt().riderSignature()).isEqualTo(signature(3));
    assertThat(store.indexerCursor("ledger").lastProcessedBlock().await()).isEqualTo(OptionalLong.of(42));
    assertThat(store.indexerCursor("ledger").processedAmong(List.of(new EventKey("0xab", 1, 42))).await()).hasSize(1);
    assertThat(store.peers().all().await()).singleElement()
        .satisfies(p -> assertThat(p.serviceArea()).containsExactly(CELL));
    assertThat(store.nonces().use(RIDER, "n-1", clock.millis() + 60_000).await()).isFalse();
  }

  // ---------------------------------------------------------------- rides

  @Nested
  class Rides {

    @Test
    void aRequestIsKeptOnce() {
      OpenRequest open = new OpenRequest(request(1, 1_800_000_000), signature(1), 5);

      assertThat(store.rides().openRequest(open).await()).isTrue();
      assertThat(store.rides().openRequest(open).await()).isFalse();
      assertThat(store.rides().openRequestCount().await()).isEqualTo(1);
    }

    @Test
    void requestsAreListedOldestFirst() {
      store.rides().openRequest(new OpenRequest(request(2, 1_800_000_000), signature(1), 20)).await();
      store.rides().openRequest(new OpenRequest(request(1, 1_800_000_000), signature(1), 10)).await();

      assertThat(store.rides().openRequests().await()).extracting(o -> o.request().rideNonce()).containsExactly(1L, 2L);
    }

    @Test
    void closingARequestDropsItsOffers() {
      RideRequest r = request(1, 1_800_000_000);
      OpenRequest open = new OpenRequest(r, signature(1), 5);
      store.rides().openRequest(open).await();
      store.rides().saveOffer(new SignedOffer(offerFor(r, 100), signature(2), 6)).await();
      store.rides().saveOffer(new SignedOffer(offerFor(r, 100), signature(2), 6)).await(); // same offer: no-op
      store.rides().saveOffer(new SignedOffer(offerFor(r, 200), signature(3), 7)).await();
      assertThat(store.rides().offersFor(open.requestHash()).await()).extracting(o -> o.offer().etaSeconds())
          .containsExactly(100L, 200L);

      assertThat(store.rides().closeRequest(open.requestHash()).await()).isTrue();

      assertThat(store.rides().offersFor(open.requestHash()).await()).isEmpty();
      assertThat(store.rides().request(open.requestHash()).await()).isEmpty();
      assertThat(store.rides().closeRequest(open.requestHash()).await()).isFalse();
    }

    @Test
    void anOfferNeedsAnOpenRequest() {
      Throwable e = failure(store.rides().saveOffer(new SignedOffer(offerFor(request(9, 1), 60), signature(2), 1)));

      assertThat(e).isInstanceOf(StoreException.class).hasMessageContaining("no open request");
    }

    @Test
    void expiredRequestsGo() {
      store.rides().openRequest(new OpenRequest(request(1, 1000), signature(1), 1)).await();
      store.rides().openRequest(new OpenRequest(request(2, 3000), signature(1), 1)).await();

      assertThat(store.rides().expireRequests(2000).await()).isEqualTo(1);
      assertThat(store.rides().openRequests().await()).extracting(o -> o.request().rideNonce()).containsExactly(2L);
    }

    @Test
    void aRideStartsBookedOnce() {
      BigInteger id = RideIds.of(RIDER, 1);

      assertThat(store.rides().startRide(id, RIDER, DRIVER, BigInteger.valueOf(99), 2).await()).isTrue();
      assertThat(store.rides().startRide(id, RIDER, DRIVER, BigInteger.valueOf(99), 2).await()).isFalse();

      RideInProgress ride = store.rides().ride(id).await().orElseThrow();
      assertThat(ride).isEqualTo(new RideInProgress(id, RIDER, DRIVER, BigInteger.valueOf(99), 2, RideState.BOOKED,
          clock.millis(), clock.millis()));
    }

    @Test
    void movesAreCompareAndSet() {
      BigInteger id = RideIds.of(RIDER, 1);
      store.rides().startRide(id, RIDER, DRIVER, BigInteger.ONE, 1).await();
      clock.advance(500);

      assertThat(store.rides().moveRide(id, RideState.BOOKED, RideState.ARRIVED).await()).isTrue();
      assertThat(store.rides().moveRide(id, RideState.BOOKED, RideState.CANCELLED).await()).isFalse();
      assertThat(store.rides().moveRide(RideIds.of(RIDER, 2), RideState.BOOKED, RideState.ARRIVED).await()).isFalse();

      RideInProgress ride = store.rides().ride(id).await().orElseThrow();
      assertThat(ride.state()).isEqualTo(RideState.ARRIVED);
      assertThat(ride.updatedAt()).isEqualTo(ride.createdAt() + 500);
    }

    @Test
    void theChainMovesARideFromAnyStateButAFinalOneAndStillByCompareAndSet() {
      BigInteger id = RideIds.of(RIDER, 1);
      store.rides().startRide(id, RIDER, DRIVER, BigInteger.ONE, 1).await();
      store.rides().moveRide(id, RideState.BOOKED, RideState.PICKED_UP).await();

      // Settled on chain while the node still had it picked up (e.g. the driver's app settled it).
      assertThat(store.rides().followChain(id, RideState.BOOKED, RideState.SETTLED).await()).isFalse();
      assertThat(store.rides().followChain(id, RideState.PICKED_UP, RideState.SETTLED).await()).isTrue();
      assertThat(store.rides().ride(id).await().orElseThrow().state()).isEqualTo(RideState.SETTLED);
      assertThat(failure(store.rides().followChain(id, RideState.SETTLED, RideState.CANCELLED)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.rides().followChain(RideIds.of(RIDER, 2), RideState.BOOKED, RideState.CANCELLED).await())
          .isFalse();
    }

    @Test
    void aForbiddenTransitionIsRefused() {
      BigInteger id = RideIds.of(RIDER, 1);
      store.rides().startRide(id, RIDER, DRIVER, BigInteger.ONE, 1).await();

      assertThat(failure(store.rides().moveRide(id, RideState.BOOKED, RideState.SETTLED)))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("a ride never moves from BOOKED to SETTLED");
      assertThat(RideState.SETTLED.isFinal()).isTrue();
      assertThat(RideState.PICKED_UP.canMoveTo(RideState.CANCELLED)).isFalse();
    }

    @Test
    void ridesAreFoundByState() {
      BigInteger a = RideIds.of(RIDER, 1);
      BigInteger b = RideIds.of(RIDER, 2);
      store.rides().startRide(a, RIDER, DRIVER, BigInteger.ONE, 1).await();
      clock.advance(1);
      store.rides().startRide(b, RIDER, DRIVER, BigInteger.ONE, 1).await();
      store.rides().moveRide(a, RideState.BOOKED, RideState.CANCELLED).await();

      assertThat(store.rides().ridesIn(Set.of(RideState.BOOKED, RideState.ARRIVED)).await())
          .extracting(RideInProgress::rideId).containsExactly(b);
      assertThat(store.rides().ridesIn(Set.of(RideState.CANCELLED, RideState.BOOKED)).await())
          .extracting(RideInProgress::rideId).containsExactly(a, b);
      assertThat(store.rides().ridesIn(Set.of()).await()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- receipts

  @Nested
  class Receipts {

    BigInteger ride(int n) {
      return RideIds.of(RIDER, n);
    }

    void enqueue(int n) {
      store.receipts().enqueue(new CoSignedReceipt(receipt(ride(n)), signature(n))).await();
      clock.advance(10);
    }

    @Test
    void aReceiptIsQueuedOnce() {
      CoSignedReceipt r = new CoSignedReceipt(receipt(ride(1)), signature(1));

      assertThat(store.receipts().enqueue(r).await()).isTrue();
      assertThat(store.receipts().enqueue(r).await()).isFalse();
      assertThat(store.receipts().pendingCount().await()).isEqualTo(1);
    }

    @Test
    void dueReceiptsComeOldestFirstUpToTheBatchSize() {
      enqueue(1);
      enqueue(2);
      enqueue(3);

      assertThat(store.receipts().due(2).await()).extracting(q -> q.receipt().receipt().rideId())
          .containsExactly(ride(1), ride(2));
      assertThat(store.receipts().oldestPendingQueuedAt().await()).isEqualTo(OptionalLong.of(clock.millis() - 30));
    }

    @Test
    void aFailedAttemptWaitsForItsNextTime() {
      enqueue(1);
      enqueue(2);

      store.receipts().attemptFailed(List.of(ride(1)), "nonce too low", clock.millis() + 1_000).await();

      assertThat(store.receipts().due(10).await()).extracting(q -> q.receipt().receipt().rideId())
          .containsExactly(ride(2));
      QueuedReceipt failed = store.receipts().find(ride(1)).await().orElseThrow();
      assertThat(failed.attempts()).isEqualTo(1);
      assertThat(failed.lastError()).contains("nonce too low");
      clock.advance(1_000);
      assertThat(store.receipts().due(10).await()).hasSize(2);
    }

    @Test
    void settledReceiptsLeaveTheQueueButKeepTheirTransaction() {
      enqueue(1);
      enqueue(2);

      store.receipts().settled(List.of(ride(1), ride(2)), "0xfeed").await();

      assertThat(store.receipts().due(10).await()).isEmpty();
      assertThat(store.receipts().pendingCount().await()).isZero();
      assertThat(store.receipts().oldestPendingQueuedAt().await()).isEmpty();
      QueuedReceipt settled = store.receipts().find(ride(1)).await().orElseThrow();
      assertThat(settled.isSettled()).isTrue();
      assertThat(settled.settledTx()).contains("0xfeed");
      // a late failure report for a settled receipt changes nothing
      store.receipts().attemptFailed(List.of(ride(1)), "late", 0).await();
      assertThat(store.receipts().find(ride(1)).await().orElseThrow().attempts()).isZero();
      assertThat(store.receipts().enqueue(new CoSignedReceipt(receipt(ride(1)), signature(1))).await()).isFalse();
    }
  }

  // ---------------------------------------------------------------- indexer

  @Nested
  class Indexer {

    @Test
    void startsWithNoPosition() {
      assertThat(store.indexerCursor("ledger").lastProcessedBlock().await()).isEmpty();
    }

    @Test
    void advancesAndNeverRewinds() {
      IndexerCursor cursor = store.indexerCursor("ledger");
      cursor.advance(10, List.of()).await();
      cursor.advance(7, List.of()).await();

      assertThat(cursor.lastProcessedBlock().await()).isEqualTo(OptionalLong.of(10));
    }

    @Test
    void remembersProcessedEventsCaseInsensitively() {
      IndexerCursor cursor = store.indexerCursor("ledger");
      EventKey a = new EventKey("0xAAAA", 0, 5);
      EventKey b = new EventKey("0xaaaa", 1, 5);
      EventKey c = new EventKey("0xbbbb", 0, 6);
      cursor.advance(5, List.of(a, b)).await();
      cursor.advance(5, List.of(a)).await(); // re-delivered: no error

      assertThat(cursor.processedAmong(List.of(new EventKey("0xaaaa", 0, 5), b, c)).await())
          .containsExactlyInAnyOrder(new EventKey("0xaaaa", 0, 5), b);
      assertThat(cursor.processedAmong(List.of()).await()).isEmpty();
    }

    @Test
    void cursorsAreSeparateByName() {
      store.indexerCursor("ledger").advance(10, List.of()).await();
      store.indexerCursor("membership").advance(3, List.of()).await();

      assertThat(store.indexerCursor("ledger").lastProcessedBlock().await()).isEqualTo(OptionalLong.of(10));
      assertThat(store.indexerCursor("membership").lastProcessedBlock().await()).isEqualTo(OptionalLong.of(3));
      assertThat(store.indexerCursor("membership").name()).isEqualTo("membership");
    }

    @Test
    void forgetsOldKeys() {
      IndexerCursor cursor = store.indexerCursor("ledger");
      cursor.advance(9, List.of(new EventKey("0x01", 0, 5), new EventKey("0x02", 0, 9))).await();

      assertThat(cursor.forgetBefore(9).await()).isEqualTo(1);
      assertThat(cursor.processedAmong(List.of(new EventKey("0x01", 0, 5), new EventKey("0x02", 0, 9))).await())
          .containsExactly(new EventKey("0x02", 0, 9));
    }
  }

  // ---------------------------------------------------------------- peers and nonces

  @Nested
  class Peers {

    static final String PEER = "0x" + "Be".repeat(20);
    static final URI ENDPOINT = URI.create("https://peer.example.org");

    @Test
    void registeringKeepsHistoryAndUpdatesTheEndpoint() {
      store.peers().register(PEER, ENDPOINT, List.of(CELL)).await();
      store.peers().recordFailure(PEER).await();
      store.peers().register(PEER, URI.create("https://moved.example.org"), List.of(CELL, CELL + 1)).await();

      Peer p = store.peers().find(PEER).await().orElseThrow();
      assertThat(p.address()).isEqualTo(PEER.toLowerCase());
      assertThat(p.endpoint()).isEqualTo(URI.create("https://moved.example.org"));
      assertThat(p.serviceArea()).containsExactly(CELL, CELL + 1);
      assertThat(p.failures()).isEqualTo(1);
      assertThat(p.lastSeenAt()).isEmpty();
    }

    @Test
    void failuresCountUntilASuccess() {
      store.peers().register(PEER, ENDPOINT, List.of(CELL)).await();

      assertThat(store.peers().recordFailure(PEER).await()).isEqualTo(1);
      assertThat(store.peers().recordFailure(PEER).await()).isEqualTo(2);
      store.peers().recordSuccess(PEER).await();

      Peer p = store.peers().find(PEER).await().orElseThrow();
      assertThat(p.failures()).isZero();
      assertThat(p.lastSeenAt()).contains(clock.millis());
      assertThat(store.peers().recordFailure("0x" + "00".repeat(20)).await()).isZero();
    }

    @Test
    void excludedPeersAreNotActiveUntilReinstated() {
      store.peers().register(PEER, ENDPOINT, List.of(CELL)).await();
      store.peers().register("0x" + "cc".repeat(20), ENDPOINT, List.of()).await();

      store.peers().exclude(PEER, "signed an offer for another driver").await();

      assertThat(store.peers().active().await()).extracting(Peer::address).containsExactly("0x" + "cc".repeat(20));
      Peer p = store.peers().find(PEER).await().orElseThrow();
      assertThat(p.status()).isEqualTo(PeerStatus.EXCLUDED);
      assertThat(p.statusReason()).contains("signed an offer for another driver");
      store.peers().reinstate(PEER).await();
      assertThat(store.peers().active().await()).hasSize(2);
      assertThat(store.peers().forget(PEER).await()).isTrue();
      assertThat(store.peers().all().await()).hasSize(1);
    }
  }

  @Test
  void aNonceIsUsableOnceUntilItExpires() {
    assertThat(store.nonces().use(RIDER, "n1", clock.millis() + 100).await()).isTrue();
    assertThat(store.nonces().use(RIDER.toUpperCase().replace("0X", "0x"), "n1", clock.millis() + 100).await()).isFalse();
    assertThat(store.nonces().use(DRIVER, "n1", clock.millis() + 100).await()).isTrue();

    clock.advance(101);
    assertThat(store.nonces().forgetExpired().await()).isEqualTo(2);
    assertThat(store.nonces().use(RIDER, "n1", clock.millis() + 100).await()).isTrue();
  }

  @Test
  void jdbcWorkRunsOnTheStoresOwnWorkerThread() {
    String thread = store.call(c -> Thread.currentThread().getName()).await();

    assertThat(thread).startsWith("ridecoop-store-");
  }

  @Test
  void writesWaitingTogetherShareOneCommitAndAllSurviveAReopen() throws Exception {
    // Hold the store thread so that the next 200 writes are all waiting when it comes round.
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Future<Object> blocker = holdStoreThreadUntil(release);
    long commitsBefore = store.commits();
    List<Future<Boolean>> writes = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      writes.add(store.nonces().use(RIDER, "group-" + i, clock.millis() + 60_000));
    }
    release.countDown();
    blocker.await();
    for (Future<Boolean> w : writes) {
      assertThat(w.await()).isTrue();
    }

    // The blocker's group, then one group for the 200 waiting writes: two fsyncs, not 201.
    assertThat(store.commits() - commitsBefore).isLessThanOrEqualTo(2);
    reopen();
    for (int i = 0; i < 200; i++) {
      assertThat(store.nonces().use(RIDER, "group-" + i, clock.millis() + 60_000).await())
          .as("nonce %d was durable before its future completed", i).isFalse();
    }
  }

  @Test
  void aFailingUnitIsRolledBackAloneAndItsNeighboursInTheGroupAreKept() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Future<Object> blocker = holdStoreThreadUntil(release);
    Future<Boolean> before = store.nonces().use(RIDER, "before", clock.millis() + 60_000);
    Future<Object> failing = store.call(c -> {
      try (var st = c.prepareStatement("INSERT INTO used_nonce (signer, nonce, expires_at) VALUES (?, ?, ?)")) {
        st.setString(1, RIDER);
        st.setString(2, "half-written");
        st.setLong(3, clock.millis() + 60_000);
        st.executeUpdate();
      }
      throw new java.sql.SQLException("the unit fails after its first statement");
    });
    Future<Boolean> after = store.nonces().use(RIDER, "after", clock.millis() + 60_000);
    release.countDown();
    blocker.await();

    assertThat(before.await()).isTrue();
    assertThat(failure(failing)).hasMessageContaining("fails after its first statement");
    assertThat(after.await()).isTrue();
    reopen();
    assertThat(store.nonces().use(RIDER, "before", clock.millis() + 60_000).await()).isFalse();
    assertThat(store.nonces().use(RIDER, "after", clock.millis() + 60_000).await()).isFalse();
    assertThat(store.nonces().use(RIDER, "half-written", clock.millis() + 60_000).await())
        .as("the failed unit's first statement was rolled back").isTrue();
  }

  @Test
  void aClosedStoreRefusesWorkAndFinishesWhatWasQueued() {
    Future<Boolean> queued = store.nonces().use(RIDER, "last", clock.millis() + 60_000);
    Future<Void> closing = store.close();
    assertThat(failure(store.nonces().use(RIDER, "too-late", clock.millis() + 60_000)))
        .isInstanceOf(StoreException.class);
    closing.await();
    assertThat(queued.await()).isTrue();
    store = SqliteStore.open(vertx, dataDir, clock).await();
    assertThat(store.nonces().use(RIDER, "last", clock.millis() + 60_000).await()).isFalse();
  }

  /** A unit that keeps the store thread busy until {@code release}, so the next units queue up. */
  Future<Object> holdStoreThreadUntil(java.util.concurrent.CountDownLatch release) {
    return store.call(c -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
  }

  /** A clock tests move by hand. */
  static final class TestClock extends Clock {
    private volatile long millis;

    TestClock(long millis) {
      this.millis = millis;
    }

    void advance(long ms) {
      millis += ms;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
