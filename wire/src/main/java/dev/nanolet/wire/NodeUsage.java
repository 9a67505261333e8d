package dev.nanolet.wire;

import java.util.List;

/**
 * Figures a node agent sends with each lease renewal ({@code PUT /api/v1/nodes/{name}/lease}).
 * The body may be empty.
 *
 * @param deployments request figures per deployment
 * @param bindings host API call figures per binding of a deployment (absent from older agents: empty)
 */
public record NodeUsage(List<DeploymentMetrics> deployments, List<BindingMetrics> bindings) {
    public NodeUsage {
        deployments = Collections2.list(deployments);
        bindings = Collections2.list(bindings);
    }

    /** Request figures only. */
    public NodeUsage(List<DeploymentMetrics> deployments) {
        this(deployments, List.of());
    }

    /**
     * Request figures of one deployment on one node since the agent started.
     *
     * @param requests total HTTP requests served
     * @param errors responses with status 500 or above
     * @param p50Ms median latency over the agent's recent window
     * @param p99Ms 99th percentile latency over the agent's recent window
     */
    public record DeploymentMetrics(String namespace, String name, long requests, long errors, double p50Ms, double p99Ms) {}

    /**
     * Host API calls on one binding of one deployment on one node since the agent started, and whether its
     * database is reached now. Fields added later read as 0 (or null) from an older agent.
     *
     * @param binding the binding's name in the deployment's spec
     * @param calls host calls made on the binding
     * @param errors calls that failed: outcome neither {@code ok} nor {@code not_found} (a key {@code kv_get} did not find)
     * @param latencyMs the calls' summed latency in milliseconds
     * @param poolWaits connections runs took from the binding's pool
     * @param poolWaitMs the summed time runs waited for them, in milliseconds
     * @param unavailable why the binding's database is unavailable now (its last connection attempt failed,
     *     or its connection broke); null while it is reached
     */
    public record BindingMetrics(String namespace, String deployment, String binding, long calls, long errors, double latencyMs,
            Long poolWaits, Double poolWaitMs, String unavailable) {

        /** Boxed so that a field an older agent does not send reads as 0 (Jackson refuses null for a primitive). */
        public BindingMetrics {
            poolWaits = poolWaits == null ? 0L : poolWaits;
            poolWaitMs = poolWaitMs == null ? 0.0 : poolWaitMs;
        }

        /** Call figures only (an agent that sends no pool figures, a reached database). */
        public BindingMetrics(String namespace, String deployment, String binding, long calls, long errors, double latencyMs) {
            this(namespace, deployment, binding, calls, errors, latencyMs, 0L, 0.0, null);
        }
    }
}
