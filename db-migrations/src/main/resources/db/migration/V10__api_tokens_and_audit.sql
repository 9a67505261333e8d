-- API tokens with roles per namespace (issue 12). Only the SHA-256 of a token's secret is kept;
-- the secret is shown once at creation. grants: JSON array of {"role":…,"namespace":…|null}.
CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL,
    secret_sha256 bytea       NOT NULL UNIQUE,
    grants        jsonb       NOT NULL,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

-- Every write through the public API: who, what, when, from where, with what outcome.
-- Rows older than nanolet.audit.retention are pruned.
CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor_id   text        NOT NULL,
    actor_name text        NOT NULL,
    method     text        NOT NULL,
    path       text        NOT NULL,
    namespace  text,
    object     text        NOT NULL,
    client     text        NOT NULL,
    status     int         NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_namespace ON audit_log (namespace, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
