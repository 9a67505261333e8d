-- A node's lease (and the usage figures that come with each renewal) in a row of its own, owned by
-- the node feature: renewing it never waits for the node's row, which the control plane locks
-- (FOR NO KEY UPDATE) while it binds replicas to the node, logs their termination or evicts them.
-- Before, a busy scheduler held a node's row long enough for its renewals to come late, and a
-- healthy node went NotReady and was evicted. Readiness is still computed, never stored: a node is
-- Ready while renewed_at is within the lease duration. Updating renewed_at or usage never changes
-- the key, so it takes no lock on the node's row (PostgreSQL checks the foreign key only when the
-- key changes; an insert takes FOR KEY SHARE, which no FOR NO KEY UPDATE blocks).
CREATE TABLE node_leases (
    node_name  text        PRIMARY KEY REFERENCES nodes (name) ON DELETE CASCADE,
    renewed_at timestamptz NOT NULL DEFAULT now(),
    usage      jsonb       NOT NULL DEFAULT '{}'
);
INSERT INTO node_leases (node_name, renewed_at, usage) SELECT name, lease_renewed_at, usage FROM nodes;
ALTER TABLE nodes DROP COLUMN lease_renewed_at, DROP COLUMN usage;
