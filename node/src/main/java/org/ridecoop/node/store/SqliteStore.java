package org.ridecoop.node.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sqlite.SQLiteConfig;

/**
 * The node's embedded database, {@code <dataDir>/node.db}: what the chain does not keep (open
 * requests, offers, rides in progress, receipts waiting for settlement, the indexer position, peers,
 * used nonces). Each concern is reached through its own interface: {@link #rides()},
 * {@link #receipts()}, {@link #indexerCursor(String)}, {@link #peers()}, {@link #nonces()}.
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}, so a write whose future has completed
 * survives a crash or power loss. All access goes through one connection on one dedicated thread,
 * which serialises the units of work without locks and keeps JDBC off the event loop, and commits
 * the units waiting together with one fsync ({@link GroupCommit}); each method returns a Vert.x
 * {@link Future} completed on the caller's context once its unit is durable.
 *
 * <p>A lock file ({@code node.lock}) stops a second node from using the same data directory.
 */
public final class SqliteStore {

  /** The database file's name inside the data directory. */
  public static final String FILE_NAME = "node.db";

  private static final String LOCK_NAME = "node.lock";

  private final Vertx vertx;
  private final GroupCommit thread;
  private final Connection connection;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Path file;
  private final Clock clock;
  private final int migrationsApplied;
  private final AtomicBoolean closed = new AtomicBoolean();

  private final RideStore rides;
  private final ReceiptQueue receipts;
  private final PeerDirectory peers;
  private final UsedNonces nonces;

  private SqliteStore(Vertx vertx, Connection connection, FileChannel lockChannel, FileLock lock,
      Path file, Clock clock, int migrationsApplied) {
    this.vertx = vertx;
    this.thread = new GroupCommit(vertx, connection, "ridecoop-store-" + UUID.randomUUID());
    this.connection = connection;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.file = file;
    this.clock = clock;
    this.migrationsApplied = migrationsApplied;
    this.rides = new JdbcRideStore(this);
    this.receipts = new JdbcReceiptQueue(this);
    this.peers = new JdbcPeerDirectory(this);
    this.nonces = new JdbcUsedNonces(this);
  }

  /** Opens (creating if needed) the store in {@code dataDir}, using the system clock. */
  public static Future<SqliteStore> open(Vertx vertx, Path dataDir) {
    return open(vertx, dataDir, Clock.systemUTC());
  }

  /**
   * Opens (creating if needed) the store in {@code dataDir} and brings its schema up to date.
   *
   * @param clock stamps the times the store records (received, queued, updated)
   * @return the store, or a failure with {@link StoreException} when the directory is in use by
   *     another node, or the database is from a newer node
   */
  public static Future<SqliteStore> open(Vertx vertx, Path dataDir, Clock clock) {
    // One thread: SQLite has one writer anyway, and one connection on one thread needs no locking.
    return vertx.executeBlocking(() -> openBlocking(vertx, dataDir, clock), false);
  }

  private static SqliteStore openBlocking(Vertx vertx, Path dataDir, Clock clock) throws Exception {
    Files.createDirectories(dataDir);
    FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new StoreException("data directory " + dataDir + " is in use by another ridecoop node");
    }
    Path file = dataDir.resolve(FILE_NAME);
    Connection c = null;
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.enforceForeignKeys(true);
      config.setBusyTimeout(5_000);
      // Writers take the write lock at BEGIN, so a transaction never fails half-way on a lock upgrade.
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      c = config.createConnection("jdbc:sqlite:" + file);
      String mode = pragma(c, "journal_mode");
      if (!"wal".equals(mode.toLowerCase(Locale.ROOT))) {
        throw new StoreException("the file system of " + dataDir + " does not support SQLite WAL (journal_mode=" + mode + ")");
      }
      int applied = Migrations.apply(c, Migrations.bundled());
      return new SqliteStore(vertx, c, channel, lock, file, clock, applied);
    } catch (Exception e) {
      if (c != null) {
        c.close();
      }
      lock.release();
      channel.close();
      throw e;
    }
  }

  /** Open requests, their offers and rides in progress. */
  public RideStore rides() {
    return rides;
  }

  /** Co-signed receipts waiting to be settled. */
  public ReceiptQueue receipts() {
    return receipts;
  }

  /** The position of the event indexer called {@code name} (one per event stream followed). */
  public IndexerCursor indexerCursor(String name) {
    return new JdbcIndexerCursor(this, name);
  }

  /** Other nodes and how they behaved. */
  public PeerDirectory peers() {
    return peers;
  }

  /** Nonces of signed requests already accepted. */
  public UsedNonces nonces() {
    return nonces;
  }

  /** How many groups of units have been committed since the store opened (for metrics and tests). */
  public long commits() {
    return thread.commits();
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** How many migrations this open applied (0 when the schema was already current). */
  public int migrationsApplied() {
    return migrationsApplied;
  }

  /** The schema version of the open database. */
  public Future<Integer> schemaVersion() {
    return call(Migrations::currentVersion);
  }

  /** Succeeds when the database answers a query; used as a readiness check. */
  public Future<Void> ping() {
    return call(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
        rs.next();
      }
      return null;
    });
  }

  /**
   * Closes the database (checkpointing the WAL into the main file) and releases the data directory.
   * Safe to call twice.
   */
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return thread.stop().compose(v -> vertx.<Void>executeBlocking(() -> {
      try {
        connection.close();
      } finally {
        releaseLock();
      }
      return null;
    }, false));
  }

  private void releaseLock() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }

  // ---------------------------------------------------------------- for the Jdbc* classes

  /** Work on the connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  long now() {
    return clock.millis();
  }

  /**
   * Runs {@code work} on the store thread as one unit: all of its statements are kept, or none
   * (a unit that throws is rolled back alone). Its future completes once the unit is durable.
   * The unit must not commit, roll back or change auto-commit itself.
   */
  <T> Future<T> call(SqlWork<T> work) {
    if (closed.get()) {
      return Future.failedFuture(new StoreException("the store " + file + " is closed"));
    }
    return thread.submit(work);
  }

  /** As {@link #call}: every unit is a transaction of its own; named so where that is the point. */
  <T> Future<T> transaction(SqlWork<T> work) {
    return call(work);
  }

  /** The value of a pragma on the store's connection (tests check durability settings with it). */
  Future<String> pragma(String name) {
    return call(c -> pragma(c, name));
  }

  private static String pragma(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getString(1) : "";
    }
  }
}
