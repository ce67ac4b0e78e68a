-- ride requests keep their salt, so a restarted node still answers with offers over the same hash
-- The salt (32 random bytes the rider chose) is part of the signed RideRequest and of its hash; it
-- never goes on chain. Requests stored before it existed cannot be re-hashed: they are dropped
-- (with their offers), which only ends matching for requests that are minutes from expiring anyway.
DELETE FROM offer;
DELETE FROM ride_request;
ALTER TABLE ride_request ADD COLUMN salt BLOB NOT NULL DEFAULT X'';
