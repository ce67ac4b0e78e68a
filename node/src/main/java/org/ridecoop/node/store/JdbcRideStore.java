package org.ridecoop.node.store;

import io.vertx.core.Future;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.ridecoop.protocol.Offer;
import org.ridecoop.protocol.RideRequest;
import org.web3j.utils.Numeric;

/** {@link RideStore} on the tables {@code ride_request}, {@code offer} and {@code ride}. */
final class JdbcRideStore implements RideStore {

  private static final String REQUEST_COLUMNS =
      "rider, pickup_cell, dropoff_cell, max_fare, ride_nonce, expiry, rider_signature, received_at, salt";
  private static final String OFFER_COLUMNS = "request_hash, rider, driver, max_fare, ride_nonce, eta_seconds, "
      + "schedule_version, expiry, driver_signature, created_at";
  private static final String RIDE_COLUMNS =
      "ride_id, rider, driver, max_fare, schedule_version, state, created_at, updated_at";

  private final SqliteStore db;

  JdbcRideStore(SqliteStore db) {
    this.db = db;
  }

  @Override
  public Future<Boolean> openRequest(OpenRequest r) {
    String hash = r.requestHash();
    RideRequest q = r.request();
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO ride_request (request_hash, "
          + REQUEST_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, hash);
        p.setString(2, lower(q.rider()));
        p.setLong(3, q.pickupCell());
        p.setLong(4, q.dropoffCell());
        p.setString(5, q.maxFare().toString());
        p.setLong(6, q.rideNonce());
        p.setLong(7, q.expiry());
        p.setBytes(8, r.riderSignature());
        p.setLong(9, r.receivedAt());
        p.setBytes(10, q.salt());
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Optional<OpenRequest>> request(String requestHash) {
    return db.call(c -> {
      List<OpenRequest> found = requests(c, "WHERE request_hash = ?", lower(requestHash));
      return found.stream().findFirst();
    });
  }

  @Override
  public Future<List<OpenRequest>> openRequests() {
    return db.call(c -> requests(c, "ORDER BY received_at, request_hash"));
  }

  @Override
  public Future<Integer> openRequestCount() {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM ride_request");
          ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    });
  }

  @Override
  public Future<Boolean> closeRequest(String requestHash) {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM ride_request WHERE request_hash = ?")) {
        p.setString(1, lower(requestHash));
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Integer> expireRequests(long nowSeconds) {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM ride_request WHERE expiry < ?")) {
        p.setLong(1, nowSeconds);
        return p.executeUpdate();
      }
    });
  }

  @Override
  public Future<Void> saveOffer(SignedOffer s) {
    String offerHash = s.offerHash();
    String requestHash = s.requestHash();
    Offer o = s.offer();
    return db.transaction(c -> {
      if (!exists(c, "SELECT 1 FROM ride_request WHERE request_hash = ?", requestHash)) {
        throw new StoreException("no open request " + requestHash + " for offer " + offerHash);
      }
      try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO offer (offer_hash, " + OFFER_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, offerHash);
        p.setString(2, requestHash);
        p.setString(3, lower(o.rider()));
        p.setString(4, lower(o.driver()));
        p.setString(5, o.maxFare().toString());
        p.setLong(6, o.rideNonce());
        p.setLong(7, o.etaSeconds());
        p.setInt(8, o.scheduleVersion());
        p.setLong(9, o.expiry());
        p.setBytes(10, s.driverSignature());
        p.setLong(11, s.createdAt());
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<List<SignedOffer>> offersFor(String requestHash) {
    return db.call(c -> {
      List<SignedOffer> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT " + OFFER_COLUMNS
          + " FROM offer WHERE request_hash = ? ORDER BY created_at, offer_hash")) {
        p.setString(1, lower(requestHash));
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            Offer o = new Offer(Numeric.hexStringToByteArray(rs.getString(1)), rs.getString(2), rs.getString(3),
                new BigInteger(rs.getString(4)), rs.getLong(5), rs.getLong(6), rs.getInt(7), rs.getLong(8));
            out.add(new SignedOffer(o, rs.getBytes(9), rs.getLong(10)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public Future<Boolean> startRide(BigInteger rideId, String rider, String driver, BigInteger maxFare,
      int scheduleVersion) {
    long now = db.now();
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO ride (" + RIDE_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, rideId.toString());
        p.setString(2, lower(rider));
        p.setString(3, lower(driver));
        p.setString(4, maxFare.toString());
        p.setInt(5, scheduleVersion);
        p.setString(6, RideState.BOOKED.name());
        p.setLong(7, now);
        p.setLong(8, now);
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Optional<RideInProgress>> ride(BigInteger rideId) {
    return db.call(c -> rides(c, "WHERE ride_id = ?", rideId.toString()).stream().findFirst());
  }

  @Override
  public Future<Boolean> moveRide(BigInteger rideId, RideState from, RideState to) {
    if (!from.canMoveTo(to)) {
      return Future.failedFuture(new IllegalArgumentException("a ride never moves from " + from + " to " + to));
    }
    return compareAndSet(rideId, from, to);
  }

  private Future<Boolean> compareAndSet(BigInteger rideId, RideState from, RideState to) {
    long now = db.now();
    return db.call(c -> {
      // Compare-and-set in one statement: the state check and the write cannot be separated.
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE ride SET state = ?, updated_at = ? WHERE ride_id = ? AND state = ?")) {
        p.setString(1, to.name());
        p.setLong(2, now);
        p.setString(3, rideId.toString());
        p.setString(4, from.name());
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> followChain(BigInteger rideId, RideState from, RideState to) {
    if (from.isFinal() || from == to) {
      return Future.failedFuture(new IllegalArgumentException("a ride never leaves " + from + " for " + to));
    }
    return compareAndSet(rideId, from, to);
  }

  @Override
  public Future<Boolean> dropOff(org.ridecoop.protocol.TripReceipt r) {
    long now = db.now();
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE ride SET state = ?, updated_at = ? WHERE ride_id = ? AND state = ?")) {
        p.setString(1, RideState.DROPPED_OFF.name());
        p.setLong(2, now);
        p.setString(3, r.rideId().toString());
        p.setString(4, RideState.PICKED_UP.name());
        if (p.executeUpdate() != 1) {
          return false;
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO receipt_draft (ride_id, distance_metres, "
          + "duration_seconds, pickup_at, dropoff_at, route_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, r.rideId().toString());
        p.setLong(2, r.distanceMetres());
        p.setLong(3, r.durationSeconds());
        p.setLong(4, r.pickupAt());
        p.setLong(5, r.dropoffAt());
        p.setBytes(6, r.routeHash());
        p.setLong(7, now);
        p.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public Future<Optional<org.ridecoop.protocol.TripReceipt>> receiptDraft(BigInteger rideId) {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT distance_metres, duration_seconds, pickup_at, "
          + "dropoff_at, route_hash FROM receipt_draft WHERE ride_id = ?")) {
        p.setString(1, rideId.toString());
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            return Optional.<org.ridecoop.protocol.TripReceipt>empty();
          }
          return Optional.of(new org.ridecoop.protocol.TripReceipt(rideId, rs.getLong(1), rs.getLong(2),
              rs.getLong(3), rs.getLong(4), rs.getBytes(5)));
        }
      }
    });
  }

  @Override
  public Future<List<RideInProgress>> ridesIn(Set<RideState> states) {
    if (states.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String marks = states.stream().map(s -> "?").collect(Collectors.joining(", "));
    Object[] names = states.stream().map(Enum::name).sorted().toArray();
    return db.call(c -> rides(c, "WHERE state IN (" + marks + ") ORDER BY created_at, ride_id", names));
  }

  @Override
  public Future<java.util.Map<RideState, Integer>> countByState() {
    return db.call(c -> {
      java.util.Map<RideState, Integer> counts = new java.util.EnumMap<>(RideState.class);
      try (PreparedStatement p = c.prepareStatement("SELECT state, COUNT(*) FROM ride GROUP BY state");
          ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          counts.put(RideState.valueOf(rs.getString(1)), rs.getInt(2));
        }
      }
      return counts;
    });
  }

  // ----------------------------------------------------------------

  private static List<OpenRequest> requests(Connection c, String where, Object... args) throws SQLException {
    List<OpenRequest> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT " + REQUEST_COLUMNS + " FROM ride_request " + where)) {
      bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          RideRequest q = new RideRequest(rs.getString(1), rs.getLong(2), rs.getLong(3),
              new BigInteger(rs.getString(4)), rs.getLong(5), rs.getLong(6), rs.getBytes(9));
          out.add(new OpenRequest(q, rs.getBytes(7), rs.getLong(8)));
        }
      }
    }
    return out;
  }

  private static List<RideInProgress> rides(Connection c, String where, Object... args) throws SQLException {
    List<RideInProgress> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT " + RIDE_COLUMNS + " FROM ride " + where)) {
      bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new RideInProgress(new BigInteger(rs.getString(1)), rs.getString(2), rs.getString(3),
              new BigInteger(rs.getString(4)), rs.getInt(5), RideState.valueOf(rs.getString(6)),
              rs.getLong(7), rs.getLong(8)));
        }
      }
    }
    return out;
  }

  private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }

  static void bind(PreparedStatement p, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      p.setObject(i + 1, args[i]);
    }
  }

  static String lower(String hex) {
    return hex.toLowerCase(Locale.ROOT);
  }
}
