-- Scheduling, termination handshake, control-loop wake-ups and node metrics.

-- Set when the controller decides a bound replica must stop; the node confirms by reporting
-- phase Terminating, after which the row is deleted.
ALTER TABLE replicas ADD COLUMN terminating boolean NOT NULL DEFAULT false;

-- Rows of assignment_changes below this version have been pruned: a watch that resumes from an
-- older Last-Event-ID gets a fresh snapshot instead.
CREATE TABLE assignment_horizon (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    pruned_below bigint  NOT NULL
);
INSERT INTO assignment_horizon VALUES (true, 1);

-- Wake the controllers and schedulers of every platform-api instance when desired or actual
-- state changes. Notifications with the same payload in one transaction fold into one.
CREATE FUNCTION notify_control() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nanolet_control', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
CREATE TRIGGER deployments_notify_control AFTER INSERT OR UPDATE ON deployments
    FOR EACH STATEMENT EXECUTE FUNCTION notify_control();
CREATE TRIGGER replicas_notify_control AFTER INSERT OR UPDATE OR DELETE ON replicas
    FOR EACH STATEMENT EXECUTE FUNCTION notify_control();
CREATE TRIGGER nodes_notify_control AFTER INSERT ON nodes
    FOR EACH STATEMENT EXECUTE FUNCTION notify_control();

-- Request figures from each lease renewal: counters since the agent started, latencies of its
-- recent window. Pruned after a retention period.
CREATE TABLE deployment_metric_samples (
    id         bigserial        PRIMARY KEY,
    time       timestamptz      NOT NULL,
    node_name  text             NOT NULL,
    namespace  text             NOT NULL,
    deployment text             NOT NULL,
    requests   bigint           NOT NULL CHECK (requests >= 0),
    errors     bigint           NOT NULL CHECK (errors >= 0),
    p50_ms     double precision NOT NULL,
    p99_ms     double precision NOT NULL
);
CREATE INDEX deployment_metric_samples_deployment ON deployment_metric_samples (namespace, deployment, time);
CREATE INDEX deployment_metric_samples_time ON deployment_metric_samples (time);
