package org.ridecoop.node.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/** {@link IndexerCursor} on the tables {@code indexer_cursor} and {@code processed_event}. */
final class JdbcIndexerCursor implements IndexerCursor {

  private final SqliteStore db;
  private final String name;

  JdbcIndexerCursor(SqliteStore db, String name) {
    this.db = db;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<OptionalLong> lastProcessedBlock() {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT last_block FROM indexer_cursor WHERE name = ?")) {
        p.setString(1, name);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        }
      }
    });
  }

  @Override
  public Future<Set<EventKey>> processedAmong(Collection<EventKey> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return db.call(c -> {
      Set<EventKey> done = new HashSet<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT 1 FROM processed_event WHERE tx_hash = ? AND log_index = ?")) {
        for (EventKey k : keys) {
          p.setString(1, JdbcRideStore.lower(k.txHash()));
          p.setLong(2, k.logIndex());
          try (ResultSet rs = p.executeQuery()) {
            if (rs.next()) {
              done.add(k);
            }
          }
        }
      }
      return done;
    });
  }

  @Override
  public Future<Void> advance(long block, Collection<EventKey> processed) {
    long now = db.now();
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT OR IGNORE INTO processed_event (tx_hash, log_index, block_number) VALUES (?, ?, ?)")) {
        for (EventKey k : processed) {
          p.setString(1, JdbcRideStore.lower(k.txHash()));
          p.setLong(2, k.logIndex());
          p.setLong(3, k.blockNumber());
          p.addBatch();
        }
        p.executeBatch();
      }
      // The position only moves forward: a late, smaller block never rewinds it.
      try (PreparedStatement p = c.prepareStatement("INSERT INTO indexer_cursor (name, last_block, updated_at) "
          + "VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET last_block = excluded.last_block, "
          + "updated_at = excluded.updated_at WHERE excluded.last_block > indexer_cursor.last_block")) {
        p.setString(1, name);
        p.setLong(2, block);
        p.setLong(3, now);
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<Void> rewind(long block) {
    long now = db.now();
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM processed_event WHERE block_number > ?")) {
        p.setLong(1, block);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO indexer_cursor (name, last_block, updated_at) "
          + "VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET last_block = excluded.last_block, "
          + "updated_at = excluded.updated_at")) {
        p.setString(1, name);
        p.setLong(2, block);
        p.setLong(3, now);
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<Integer> forgetBefore(long block) {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM processed_event WHERE block_number < ?")) {
        p.setLong(1, block);
        return p.executeUpdate();
      }
    });
  }
}
