package dev.nanolet.wire;

import java.util.List;

/**
 * Figures a node agent sends with each lease renewal ({@code PUT /api/v1/nodes/{name}/lease}).
 * The body may be empty.
 */
public record NodeUsage(List<DeploymentMetrics> deployments) {
    public NodeUsage {
        deployments = Collections2.list(deployments);
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
}
