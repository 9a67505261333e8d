package dev.nanolet.wire;

import java.time.Instant;
import java.util.List;

/**
 * One point of a deployment's request figures, summed over its nodes
 * ({@code GET /api/v1/namespaces/{ns}/deployments/{name}/metrics}).
 *
 * @param time end of the interval the point covers
 * @param requestsPerSecond HTTP requests served per second over the interval
 * @param errorsPerSecond responses with status 500 or above per second over the interval
 * @param p50Ms median latency reported by the nodes (the highest of them)
 * @param p99Ms 99th percentile latency reported by the nodes (the highest of them)
 * @param bindings host API figures of each binding with calls in the interval, by name
 */
public record MetricsPoint(Instant time, double requestsPerSecond, double errorsPerSecond, double p50Ms, double p99Ms,
        List<BindingPoint> bindings) {
    public MetricsPoint {
        bindings = Collections2.list(bindings);
    }

    /** Request figures only. */
    public MetricsPoint(Instant time, double requestsPerSecond, double errorsPerSecond, double p50Ms, double p99Ms) {
        this(time, requestsPerSecond, errorsPerSecond, p50Ms, p99Ms, List.of());
    }

    /**
     * One binding's host API calls over the interval, summed over the nodes.
     *
     * @param callsPerSecond host calls per second
     * @param errorsPerSecond calls per second whose outcome was not {@code ok}
     * @param meanLatencyMs the calls' mean latency
     */
    public record BindingPoint(String binding, double callsPerSecond, double errorsPerSecond, double meanLatencyMs) {}
}
