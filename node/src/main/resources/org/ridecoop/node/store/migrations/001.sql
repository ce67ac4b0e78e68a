-- initial schema: requests, offers, rides, receipts, indexer position, peers, used nonces
-- Migrations are numbered 001.sql, 002.sql, ...; each runs once, in order, in one transaction.
-- Statements are split at a ';' that ends a line, so keep ';' out of the middle of lines.
-- Never edit a migration that has shipped: add the next number instead (checksums are verified).
-- Times named *_at are unix milliseconds of this node's clock; expiry columns are the protocol's
-- unix seconds. Amounts (uint256) are decimal TEXT. Addresses are lower-case 0x hex.

-- Ride requests riders have sent and no offer has closed yet.
CREATE TABLE ride_request (
  request_hash    TEXT PRIMARY KEY,          -- 0x EIP-712 struct hash of the RideRequest
  rider           TEXT NOT NULL,
  pickup_cell     INTEGER NOT NULL,          -- H3 index (the 64 bits, read as signed)
  dropoff_cell    INTEGER NOT NULL,
  max_fare        TEXT NOT NULL,
  ride_nonce      INTEGER NOT NULL,
  expiry          INTEGER NOT NULL,
  rider_signature BLOB NOT NULL,
  received_at     INTEGER NOT NULL
);
CREATE INDEX ride_request_expiry ON ride_request (expiry);

-- Signed offers made for open requests; they go when their request closes.
CREATE TABLE offer (
  offer_hash       TEXT PRIMARY KEY,         -- 0x EIP-712 struct hash of the Offer
  request_hash     TEXT NOT NULL REFERENCES ride_request (request_hash) ON DELETE CASCADE,
  rider            TEXT NOT NULL,
  driver           TEXT NOT NULL,
  max_fare         TEXT NOT NULL,
  ride_nonce       INTEGER NOT NULL,
  eta_seconds      INTEGER NOT NULL,
  schedule_version INTEGER NOT NULL,
  expiry           INTEGER NOT NULL,
  driver_signature BLOB NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX offer_by_request ON offer (request_hash);

-- Rides booked on chain and not yet finished here; `state` is the node's ride state machine.
CREATE TABLE ride (
  ride_id          TEXT PRIMARY KEY,         -- decimal uint256 (rider << 32 | nonce)
  rider            TEXT NOT NULL,
  driver           TEXT NOT NULL,
  max_fare         TEXT NOT NULL,
  schedule_version INTEGER NOT NULL,
  state            TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX ride_by_state ON ride (state);

-- Trip receipts the rider co-signed, waiting to be settled on chain in a batch.
CREATE TABLE receipt (
  ride_id          TEXT PRIMARY KEY,
  distance_metres  INTEGER NOT NULL,
  duration_seconds INTEGER NOT NULL,
  pickup_at        INTEGER NOT NULL,         -- unix seconds, as signed
  dropoff_at       INTEGER NOT NULL,
  route_hash       BLOB NOT NULL,
  rider_signature  BLOB NOT NULL,
  queued_at        INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  settled_tx       TEXT,                     -- 0x hash of the settling transaction
  settled_at       INTEGER
);
CREATE INDEX receipt_due ON receipt (next_attempt_at) WHERE settled_tx IS NULL;

-- How far each event indexer got: the last block whose events are all processed.
CREATE TABLE indexer_cursor (
  name       TEXT PRIMARY KEY,
  last_block INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Events already processed, so a re-delivered log is never processed twice.
CREATE TABLE processed_event (
  tx_hash      TEXT NOT NULL,
  log_index    INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  PRIMARY KEY (tx_hash, log_index)
) WITHOUT ROWID;
CREATE INDEX processed_event_block ON processed_event (block_number);

-- Other nodes, as registered on chain, and how they behaved.
CREATE TABLE peer (
  address        TEXT PRIMARY KEY,
  endpoint       TEXT NOT NULL,
  service_area   TEXT NOT NULL,              -- H3 cells in hex, comma-separated
  status         TEXT NOT NULL,
  failures       INTEGER NOT NULL DEFAULT 0,
  last_seen_at   INTEGER,
  status_reason  TEXT,
  updated_at     INTEGER NOT NULL
);

-- Nonces of signed requests already accepted: a replayed request is refused until it expires.
CREATE TABLE used_nonce (
  signer     TEXT NOT NULL,
  nonce      TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (signer, nonce)
) WITHOUT ROWID;
CREATE INDEX used_nonce_expiry ON used_nonce (expires_at);
