-- Nanolet schema, version 1. Forward-only: never edit a released migration, add V2__… instead.

CREATE TABLE modules (
    digest     text        PRIMARY KEY CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
    size       bigint      NOT NULL CHECK (size > 0),
    name       text,
    imports    jsonb       NOT NULL DEFAULT '[]',
    exports    jsonb       NOT NULL DEFAULT '[]',
    wasi       boolean     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The bytes live apart so that listing modules never reads them.
CREATE TABLE module_contents (
    digest text  PRIMARY KEY REFERENCES modules (digest) ON DELETE CASCADE,
    bytes  bytea NOT NULL
);

CREATE TABLE deployments (
    id               bigserial   PRIMARY KEY,
    namespace        text        NOT NULL CHECK (namespace ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
    name             text        NOT NULL CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
    generation       bigint      NOT NULL DEFAULT 1 CHECK (generation > 0),
    current_revision integer     NOT NULL,
    spec             jsonb       NOT NULL,
    http_path        text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- set by DELETE: the row stays (hidden from the API) until its replicas are gone
    deleted_at       timestamptz
);
CREATE UNIQUE INDEX deployments_live_name ON deployments (namespace, name) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX deployments_live_http_path ON deployments (http_path) WHERE deleted_at IS NULL AND http_path IS NOT NULL;

CREATE TABLE revisions (
    deployment_id bigint      NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    revision      integer     NOT NULL CHECK (revision > 0),
    generation    bigint      NOT NULL,
    spec          jsonb       NOT NULL,
    module_digest text        NOT NULL REFERENCES modules (digest) ON DELETE RESTRICT,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (deployment_id, revision)
);
CREATE INDEX revisions_module ON revisions (module_digest);

CREATE TABLE nodes (
    name                 text        PRIMARY KEY CHECK (name ~ '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$'),
    labels               jsonb       NOT NULL DEFAULT '{}',
    capacity_instances   integer     NOT NULL CHECK (capacity_instances >= 0),
    capacity_memory_mib  integer     NOT NULL CHECK (capacity_memory_mib >= 0),
    address              text        NOT NULL,
    usage                jsonb       NOT NULL DEFAULT '{}',
    registered_at        timestamptz NOT NULL DEFAULT now(),
    lease_renewed_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE replicas (
    id               uuid        PRIMARY KEY,
    deployment_id    bigint      NOT NULL,
    revision         integer     NOT NULL,
    -- a replica is bound to at most one node: one column, set once by the scheduler
    node_name        text        REFERENCES nodes (name) ON DELETE SET NULL,
    phase            text        NOT NULL CHECK (phase IN ('Pending', 'Scheduled', 'Pulling', 'Starting', 'Running',
                                                          'Succeeded', 'Failed', 'CrashLoopBackOff', 'Terminating')),
    reason           text,
    message          text,
    restarts         integer     NOT NULL DEFAULT 0 CHECK (restarts >= 0),
    memory_mib       integer     NOT NULL CHECK (memory_mib >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    scheduled_at     timestamptz,
    FOREIGN KEY (deployment_id, revision) REFERENCES revisions (deployment_id, revision) ON DELETE CASCADE
);
CREATE INDEX replicas_deployment ON replicas (deployment_id);
CREATE INDEX replicas_node ON replicas (node_name) WHERE node_name IS NOT NULL;
CREATE INDEX replicas_pending ON replicas (created_at) WHERE phase = 'Pending';

-- Append-only history of what happened to objects.
CREATE TABLE events (
    id         bigserial   PRIMARY KEY,
    time       timestamptz NOT NULL DEFAULT now(),
    type       text        NOT NULL CHECK (type IN ('Normal', 'Warning')),
    reason     text        NOT NULL,
    message    text        NOT NULL,
    object     text        NOT NULL,
    namespace  text,
    deployment text,
    node_name  text
);
CREATE INDEX events_deployment ON events (namespace, deployment, id);
CREATE INDEX events_node ON events (node_name, id);
CREATE INDEX events_warning ON events (id) WHERE type = 'Warning';

-- Change log behind each node's assignment watch. resource_version orders all changes;
-- a watch resumes from any version still kept here, else it gets a fresh snapshot.
CREATE TABLE assignment_changes (
    resource_version bigserial   PRIMARY KEY,
    node_name        text        NOT NULL,
    replica_id       uuid        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('added', 'modified', 'deleted')),
    payload          jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assignment_changes_node ON assignment_changes (node_name, resource_version);

-- Wake every platform-api instance's watch streams when a node's assignments change.
CREATE FUNCTION notify_assignment_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nanolet_assignments', NEW.node_name);
    RETURN NEW;
END
$$;
CREATE TRIGGER assignment_changes_notify AFTER INSERT ON assignment_changes
    FOR EACH ROW EXECUTE FUNCTION notify_assignment_change();
