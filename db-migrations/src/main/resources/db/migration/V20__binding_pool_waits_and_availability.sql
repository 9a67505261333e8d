-- Pool figures and availability of a binding in each lease renewal's sample (docs/bindings.md, Metrics):
-- connections taken from the binding's pool and the summed wait for them (counters since the agent
-- started, 0 from older agents), and why the node finds the binding's database unavailable now (null while
-- it is reached). Owned by platform-api's MetricSamples.
ALTER TABLE binding_metric_samples
    ADD COLUMN pool_waits   bigint           NOT NULL DEFAULT 0 CHECK (pool_waits >= 0),
    ADD COLUMN pool_wait_ms double precision NOT NULL DEFAULT 0 CHECK (pool_wait_ms >= 0),
    ADD COLUMN unavailable  text;
