-- Node identity (NodeRestriction), the watch epoch and bounded events.

-- Each node holds its own credential, issued once at registration with the bootstrap token and
-- stored only as its SHA-256. NULL: never issued (a node registered before V4; the next bootstrap
-- registration under its name claims it). Deleting the node row revokes the credential.
ALTER TABLE nodes ADD COLUMN credential_sha256 bytea UNIQUE;
-- What platform-api sends to this node (and only to it) to read its logs; never a node's or the admin's token.
ALTER TABLE nodes ADD COLUMN logs_token text;

-- A random id made once per database: part of every watch resource version, so a version handed
-- out by another database (a restore, a new database) is unknown here and gets 410 Gone.
CREATE TABLE watch_epoch (
    id    boolean PRIMARY KEY DEFAULT true CHECK (id),
    epoch text    NOT NULL
);
INSERT INTO watch_epoch VALUES (true, md5(random()::text || clock_timestamp()::text));

-- Repeats of one event (same object, type, reason and message) are one row with a count; rows
-- are pruned after a TTL and beyond a cap per object.
ALTER TABLE events ADD COLUMN count integer NOT NULL DEFAULT 1 CHECK (count > 0);
ALTER TABLE events ADD COLUMN first_time timestamptz;
UPDATE events SET first_time = time;
ALTER TABLE events ALTER COLUMN first_time SET NOT NULL;
CREATE INDEX events_object ON events (object, id);
CREATE INDEX events_time ON events (time);
