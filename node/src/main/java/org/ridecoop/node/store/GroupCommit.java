package org.ridecoop.node.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one thread: runs the units of work callers queue, on the one connection, and commits
 * them in groups. Every unit that is waiting when the thread comes round is run inside one
 * transaction, each unit in a savepoint of its own (a unit that fails is rolled back alone, the
 * others are kept), and the group is made durable by one {@code COMMIT}: with
 * {@code synchronous=FULL} that is one fsync of the WAL for the whole group instead of one per unit.
 * A unit's future completes only after that commit, so what a caller was told is stored is on disk.
 *
 * <p>Why: the node acknowledges requests, offers, accepts and receipts only once they are durable,
 * and an fsync costs milliseconds on ordinary disks (about 2 ms here). One fsync per write capped a
 * node at a few hundred writes per second whatever its CPU; grouping lets the writes that arrive
 * while one fsync is under way share the next one, so throughput follows the load and a lone write
 * still pays a single fsync.
 *
 * <p>Futures complete on the caller's Vert.x context (the context current when the unit was queued,
 * or a new one for a caller outside Vert.x), never on the store thread.
 */
final class GroupCommit {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  /** At most this many units share a commit, so one group never holds the others back for long. */
  static final int MAX_GROUP = 256;

  private record Unit<T>(SqliteStore.SqlWork<T> work, Promise<T> promise, Context context) {}

  /** Queued last: the loop runs what came before it, then stops. */
  private static final Unit<Void> STOP = new Unit<>(c -> null, null, null);

  private final Vertx vertx;
  private final Connection connection;
  private final LinkedBlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Promise<Void> stopped = Promise.promise();
  private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
  private boolean accepting = true;

  /**
   * Starts the store thread on an open connection (auto-commit on; migrations already applied).
   *
   * @param threadName the thread's name, for logs and thread dumps
   */
  GroupCommit(Vertx vertx, Connection connection, String threadName) {
    this.vertx = vertx;
    this.connection = connection;
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
    thread.start();
  }

  /** Queues {@code work}; its future completes on the caller's context once its group committed. */
  <T> Future<T> submit(SqliteStore.SqlWork<T> work) {
    Promise<T> promise = Promise.promise();
    Unit<T> unit = new Unit<>(work, promise, vertx.getOrCreateContext());
    synchronized (this) {
      if (!accepting) {
        return Future.failedFuture(new StoreException("the store is closed"));
      }
      queue.add(unit);
    }
    return promise.future();
  }

  /** Runs what is queued, then stops the thread; completes once it has stopped. */
  Future<Void> stop() {
    synchronized (this) {
      if (accepting) {
        accepting = false;
        queue.add(STOP);
      }
    }
    return stopped.future();
  }

  /** How many groups have been committed so far (each one fsync when it wrote anything). */
  long commits() {
    return commits.get();
  }

  private void loop() {
    List<Unit<?>> group = new ArrayList<>(MAX_GROUP);
    try {
      while (true) {
        group.add(queue.take());
        queue.drainTo(group, MAX_GROUP - 1);
        int stop = group.indexOf(STOP);
        List<Unit<?>> work = stop < 0 ? group : group.subList(0, stop);
        if (!work.isEmpty()) {
          runGroup(work);
        }
        if (stop >= 0) {
          return; // nothing is queued after the stop: submit refuses once stopping
        }
        group.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.tryComplete();
    }
  }

  private void runGroup(List<Unit<?>> group) {
    Object[] results = new Object[group.size()];
    Throwable[] failures = new Throwable[group.size()];
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      failAll(group, e);
      return;
    }
    try {
      for (int i = 0; i < group.size(); i++) {
        savepoint("SAVEPOINT unit");
        try {
          results[i] = group.get(i).work().apply(connection);
          savepoint("RELEASE unit");
        } catch (SQLException | RuntimeException e) {
          failures[i] = e;
          savepoint("ROLLBACK TO unit");
          savepoint("RELEASE unit");
        }
      }
      connection.commit();
      commits.incrementAndGet();
    } catch (SQLException | RuntimeException e) {
      // The commit (or a savepoint) failed: nothing of the group is durable, so nobody is told it is.
      LOG.error("store commit failed, {} units rolled back: {}", group.size(), e.toString());
      rollbackQuietly();
      failAll(group, e);
      return;
    } finally {
      autoCommitQuietly();
    }
    for (int i = 0; i < group.size(); i++) {
      if (failures[i] != null) {
        fail(group.get(i), failures[i]);
      } else {
        succeed(group.get(i), results[i]);
      }
    }
  }

  private void savepoint(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.warn("store rollback failed: {}", e.toString());
    }
  }

  private void autoCommitQuietly() {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.warn("store could not return to auto-commit: {}", e.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void succeed(Unit<T> unit, Object result) {
    unit.context().runOnContext(v -> unit.promise().complete((T) result));
  }

  private static void fail(Unit<?> unit, Throwable cause) {
    unit.context().runOnContext(v -> unit.promise().fail(cause));
  }

  private static void failAll(List<Unit<?>> units, Throwable cause) {
    for (Unit<?> u : units) {
      fail(u, cause);
    }
  }
}
