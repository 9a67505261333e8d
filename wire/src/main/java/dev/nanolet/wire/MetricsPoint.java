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
     * One binding's host API calls over the interval, summed over the nodes, and whether a node found its
     * database unavailable at the end of it.
     *
     * @param callsPerSecond host calls per second
     * @param errorsPerSecond calls per second that failed ({@link NodeUsage.BindingMetrics#errors()})
     * @param meanLatencyMs the calls' mean latency
     * @param poolWaitsPerSecond connections taken from the binding's pools per second
     * @param meanPoolWaitMs the mean time a run waited for one
     * @param unavailable why a node's last report in the interval says the database is unavailable; null if
     *     none says so
     */
    public record BindingPoint(String binding, double callsPerSecond, double errorsPerSecond, double meanLatencyMs,
            Double poolWaitsPerSecond, Double meanPoolWaitMs, String unavailable) {

        /** Boxed so that a field an older platform-api does not send reads as 0 (Jackson refuses null for a primitive). */
        public BindingPoint {
            poolWaitsPerSecond = poolWaitsPerSecond == null ? 0.0 : poolWaitsPerSecond;
            meanPoolWaitMs = meanPoolWaitMs == null ? 0.0 : meanPoolWaitMs;
        }

        /** Call figures only. */
        public BindingPoint(String binding, double callsPerSecond, double errorsPerSecond, double meanLatencyMs) {
            this(binding, callsPerSecond, errorsPerSecond, meanLatencyMs, 0.0, 0.0, null);
        }
    }
}
