package org.ridecoop.node.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;

/** {@link UsedNonces} on the table {@code used_nonce}. */
final class JdbcUsedNonces implements UsedNonces {

  private final SqliteStore db;

  JdbcUsedNonces(SqliteStore db) {
    this.db = db;
  }

  @Override
  public Future<Boolean> use(String signer, String nonce, long expiresAt) {
    return db.call(c -> {
      // The primary key makes check-and-record one atomic insert.
      try (PreparedStatement p = c.prepareStatement(
          "INSERT OR IGNORE INTO used_nonce (signer, nonce, expires_at) VALUES (?, ?, ?)")) {
        p.setString(1, JdbcRideStore.lower(signer));
        p.setString(2, nonce);
        p.setLong(3, expiresAt);
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Integer> forgetExpired() {
    long now = db.now();
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM used_nonce WHERE expires_at < ?")) {
        p.setLong(1, now);
        return p.executeUpdate();
      }
    });
  }
}
