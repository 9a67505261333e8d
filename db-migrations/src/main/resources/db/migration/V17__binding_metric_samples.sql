-- Host API call figures per binding of a deployment, as node agents report them with each lease
-- renewal (counters since the agent started); owned by platform-api's MetricSamples, pruned with
-- deployment_metric_samples.
CREATE TABLE binding_metric_samples (
    id         bigserial        PRIMARY KEY,
    time       timestamptz      NOT NULL,
    node_name  text             NOT NULL,
    namespace  text             NOT NULL,
    deployment text             NOT NULL,
    binding    text             NOT NULL,
    calls      bigint           NOT NULL CHECK (calls >= 0),
    errors     bigint           NOT NULL CHECK (errors >= 0),
    latency_ms double precision NOT NULL CHECK (latency_ms >= 0)
);
CREATE INDEX binding_metric_samples_deployment ON binding_metric_samples (namespace, deployment, time);
CREATE INDEX binding_metric_samples_time ON binding_metric_samples (time);
