package org.ridecoop.node.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Versioned schema changes: resources {@code migrations/001.sql}, {@code 002.sql}, ... next to this
 * class, applied in order, each in its own transaction together with its row in
 * {@code schema_version}. A database written by a newer node (a version this node does not know)
 * is refused rather than misread, and a migration edited after it was applied is detected by its
 * checksum.
 */
final class Migrations {

  private static final String DIRECTORY = "migrations/";

  /** One numbered migration as shipped in the jar. */
  record Migration(int version, String description, String sql, String checksum) {}

  private Migrations() {}

  /** The migrations shipped with this node, in version order. */
  static List<Migration> bundled() {
    List<Migration> all = new ArrayList<>();
    for (int v = 1; ; v++) {
      String name = DIRECTORY + String.format("%03d.sql", v);
      try (InputStream in = Migrations.class.getResourceAsStream(name)) {
        if (in == null) {
          break;
        }
        String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        all.add(new Migration(v, description(sql), sql, sha256(sql)));
      } catch (IOException e) {
        throw new StoreException("cannot read migration " + name, e);
      }
    }
    if (all.isEmpty()) {
      throw new StoreException("no schema migrations found next to " + Migrations.class.getName());
    }
    return all;
  }

  /**
   * Brings the schema up to the newest of {@code migrations}.
   *
   * @return how many migrations were applied now (0 when the schema was current)
   * @throws StoreException if the database is newer than {@code migrations} or an applied
   *     migration differs from the shipped one
   */
  static int apply(Connection c, List<Migration> migrations) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version ("
          + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, checksum TEXT NOT NULL, "
          + "applied_at INTEGER NOT NULL)");
    }
    Map<Integer, String> applied = appliedChecksums(c);
    int newest = migrations.get(migrations.size() - 1).version();
    int current = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (current > newest) {
      throw new StoreException("the database has schema version " + current
          + ", newer than this node knows (" + newest + "); refusing to open it: run a newer ridecoop");
    }
    int count = 0;
    for (Migration m : migrations) {
      String checksum = applied.get(m.version());
      if (checksum != null) {
        if (!checksum.equals(m.checksum())) {
          throw new StoreException("schema migration " + m.version() + " (" + m.description()
              + ") differs from the one applied to this database; migrations must never be edited once shipped");
        }
        continue;
      }
      applyOne(c, m);
      count++;
    }
    return count;
  }

  static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static void applyOne(Connection c, Migration m) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        for (String statement : statements(m.sql())) {
          s.executeUpdate(statement);
        }
      }
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO schema_version (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
        p.setInt(1, m.version());
        p.setString(2, m.description());
        p.setString(3, m.checksum());
        p.setLong(4, System.currentTimeMillis());
        p.executeUpdate();
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw new StoreException("schema migration " + m.version() + " (" + m.description() + ") failed: "
          + e.getMessage(), e);
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static Map<Integer, String> appliedChecksums(Connection c) throws SQLException {
    Map<Integer, String> applied = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, checksum FROM schema_version")) {
      while (rs.next()) {
        applied.put(rs.getInt(1), rs.getString(2));
      }
    }
    return applied;
  }

  /** Splits a migration at lines ending in ';', skipping whole-line comments. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        out.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static String description(String sql) {
    String first = sql.lines().findFirst().orElse("").strip();
    return first.startsWith("--") ? first.substring(2).strip() : "unnamed";
  }

  private static String sha256(String sql) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
