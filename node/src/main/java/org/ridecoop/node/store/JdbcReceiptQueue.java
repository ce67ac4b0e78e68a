package org.ridecoop.node.store;

import io.vertx.core.Future;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.ridecoop.protocol.TripReceipt;

/** {@link ReceiptQueue} on the table {@code receipt}. */
final class JdbcReceiptQueue implements ReceiptQueue {

  private static final String COLUMNS = "ride_id, distance_metres, duration_seconds, pickup_at, dropoff_at, "
      + "route_hash, rider_signature, queued_at, attempts, next_attempt_at, last_error, settled_tx";

  private final SqliteStore db;

  JdbcReceiptQueue(SqliteStore db) {
    this.db = db;
  }

  @Override
  public Future<Boolean> enqueue(CoSignedReceipt r) {
    long now = db.now();
    TripReceipt t = r.receipt();
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO receipt (ride_id, distance_metres, "
          + "duration_seconds, pickup_at, dropoff_at, route_hash, rider_signature, queued_at, next_attempt_at) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, t.rideId().toString());
        p.setLong(2, t.distanceMetres());
        p.setLong(3, t.durationSeconds());
        p.setLong(4, t.pickupAt());
        p.setLong(5, t.dropoffAt());
        p.setBytes(6, t.routeHash());
        p.setBytes(7, r.riderSignature());
        p.setLong(8, now);
        p.setLong(9, now);
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Optional<QueuedReceipt>> find(BigInteger rideId) {
    return db.call(c -> select(c, "WHERE ride_id = ?", rideId.toString()).stream().findFirst());
  }

  @Override
  public Future<List<QueuedReceipt>> due(int limit) {
    long now = db.now();
    return db.call(c -> select(c,
        "WHERE settled_tx IS NULL AND next_attempt_at <= ? ORDER BY queued_at, ride_id LIMIT ?", now, limit));
  }

  @Override
  public Future<Void> settled(List<BigInteger> rideIds, String txHash) {
    long now = db.now();
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE receipt SET settled_tx = ?, settled_at = ?, last_error = NULL WHERE ride_id = ?")) {
        for (BigInteger id : rideIds) {
          p.setString(1, txHash);
          p.setLong(2, now);
          p.setString(3, id.toString());
          p.addBatch();
        }
        p.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Future<Void> attemptFailed(List<BigInteger> rideIds, String reason, long nextAttemptAt) {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE receipt SET attempts = attempts + 1, last_error = ?, "
          + "next_attempt_at = ? WHERE ride_id = ? AND settled_tx IS NULL")) {
        for (BigInteger id : rideIds) {
          p.setString(1, reason);
          p.setLong(2, nextAttemptAt);
          p.setString(3, id.toString());
          p.addBatch();
        }
        p.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Future<Integer> pendingCount() {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM receipt WHERE settled_tx IS NULL");
          ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    });
  }

  @Override
  public Future<OptionalLong> oldestPendingQueuedAt() {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT MIN(queued_at) FROM receipt WHERE settled_tx IS NULL");
          ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          long v = rs.getLong(1);
          return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
        }
        return OptionalLong.empty();
      }
    });
  }

  private static List<QueuedReceipt> select(Connection c, String where, Object... args) throws SQLException {
    List<QueuedReceipt> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM receipt " + where)) {
      JdbcRideStore.bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          TripReceipt t = new TripReceipt(new BigInteger(rs.getString(1)), rs.getLong(2), rs.getLong(3),
              rs.getLong(4), rs.getLong(5), rs.getBytes(6));
          out.add(new QueuedReceipt(new CoSignedReceipt(t, rs.getBytes(7)), rs.getLong(8), rs.getInt(9),
              rs.getLong(10), Optional.ofNullable(rs.getString(11)), Optional.ofNullable(rs.getString(12))));
        }
      }
    }
    return out;
  }
}
