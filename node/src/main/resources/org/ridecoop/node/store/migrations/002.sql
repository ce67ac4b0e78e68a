-- trip receipts drivers submitted at drop-off, waiting for the rider's co-signature
-- The rider co-signs exactly what the driver submitted; the co-signed receipt then moves to `receipt`.
CREATE TABLE receipt_draft (
  ride_id          TEXT PRIMARY KEY REFERENCES ride (ride_id) ON DELETE CASCADE,
  distance_metres  INTEGER NOT NULL,
  duration_seconds INTEGER NOT NULL,
  pickup_at        INTEGER NOT NULL,         -- unix seconds, as signed
  dropoff_at       INTEGER NOT NULL,
  route_hash       BLOB NOT NULL,
  created_at       INTEGER NOT NULL
);
