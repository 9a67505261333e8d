-- Secrets (issue 10): a map of keys to values per namespace/name. Each value is encrypted on its own
-- with AES-256-GCM under the operator's key (NANOLET_SECRETS_KEY): data maps a key name to
-- base64(nonce || ciphertext || tag), the additional data being "namespace/name/key". key_id names the
-- operator key that encrypted every value of the row (the first 8 bytes of its SHA-256, in hex), so that
-- rotation finds the rows still under the previous key. Values are never stored or returned in clear.
CREATE TABLE secrets (
    namespace  text        NOT NULL CHECK (namespace ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
    name       text        NOT NULL CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
    data       jsonb       NOT NULL,
    key_id     text        NOT NULL,
    version    bigint      NOT NULL CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (namespace, name)
);
CREATE INDEX secrets_key_id ON secrets (key_id);
