package org.ridecoop.node.store;

import io.vertx.core.Future;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link PeerDirectory} on the table {@code peer}. */
final class JdbcPeerDirectory implements PeerDirectory {

  private static final String COLUMNS =
      "address, endpoint, service_area, status, failures, last_seen_at, status_reason";

  private final SqliteStore db;

  JdbcPeerDirectory(SqliteStore db) {
    this.db = db;
  }

  @Override
  public Future<Void> register(String address, URI endpoint, List<Long> serviceArea) {
    long now = db.now();
    String area = serviceArea.stream().map(Long::toHexString).collect(Collectors.joining(","));
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO peer (address, endpoint, service_area, status, "
          + "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (address) DO UPDATE SET endpoint = excluded.endpoint, "
          + "service_area = excluded.service_area, updated_at = excluded.updated_at")) {
        p.setString(1, JdbcRideStore.lower(address));
        p.setString(2, endpoint.toString());
        p.setString(3, area);
        p.setString(4, PeerStatus.ACTIVE.name());
        p.setLong(5, now);
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<Optional<Peer>> find(String address) {
    return db.call(c -> select(c, "WHERE address = ?", JdbcRideStore.lower(address)).stream().findFirst());
  }

  @Override
  public Future<List<Peer>> all() {
    return db.call(c -> select(c, "ORDER BY address"));
  }

  @Override
  public Future<List<Peer>> active() {
    return db.call(c -> select(c, "WHERE status = ? ORDER BY address", PeerStatus.ACTIVE.name()));
  }

  @Override
  public Future<Void> recordSuccess(String address) {
    long now = db.now();
    return update("UPDATE peer SET failures = 0, last_seen_at = ?, updated_at = ? WHERE address = ?",
        now, now, JdbcRideStore.lower(address));
  }

  @Override
  public Future<Integer> recordFailure(String address) {
    long now = db.now();
    String a = JdbcRideStore.lower(address);
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE peer SET failures = failures + 1, updated_at = ? WHERE address = ?")) {
        p.setLong(1, now);
        p.setString(2, a);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("SELECT failures FROM peer WHERE address = ?")) {
        p.setString(1, a);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      }
    });
  }

  @Override
  public Future<Void> exclude(String address, String reason) {
    return update("UPDATE peer SET status = ?, status_reason = ?, updated_at = ? WHERE address = ?",
        PeerStatus.EXCLUDED.name(), reason, db.now(), JdbcRideStore.lower(address));
  }

  @Override
  public Future<Void> reinstate(String address) {
    return update("UPDATE peer SET status = ?, status_reason = NULL, failures = 0, updated_at = ? WHERE address = ?",
        PeerStatus.ACTIVE.name(), db.now(), JdbcRideStore.lower(address));
  }

  @Override
  public Future<Boolean> forget(String address) {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM peer WHERE address = ?")) {
        p.setString(1, JdbcRideStore.lower(address));
        return p.executeUpdate() == 1;
      }
    });
  }

  private Future<Void> update(String sql, Object... args) {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        JdbcRideStore.bind(p, args);
        p.executeUpdate();
      }
      return null;
    });
  }

  private static List<Peer> select(Connection c, String where, Object... args) throws SQLException {
    List<Peer> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM peer " + where)) {
      JdbcRideStore.bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String area = rs.getString(3);
          List<Long> cells = area.isEmpty() ? List.of()
              : Arrays.stream(area.split(",")).map(h -> Long.parseUnsignedLong(h, 16)).toList();
          long seen = rs.getLong(6);
          Optional<Long> lastSeen = rs.wasNull() ? Optional.empty() : Optional.of(seen);
          out.add(new Peer(rs.getString(1), URI.create(rs.getString(2)), cells,
              PeerStatus.valueOf(rs.getString(4)), rs.getInt(5), lastSeen, Optional.ofNullable(rs.getString(7))));
        }
      }
    }
    return out;
  }
}
