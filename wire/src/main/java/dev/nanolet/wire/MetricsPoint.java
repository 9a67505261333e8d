package dev.nanolet.wire;

import java.time.Instant;

/**
 * One point of a deployment's request figures, summed over its nodes
 * ({@code GET /api/v1/namespaces/{ns}/deployments/{name}/metrics}).
 *
 * @param time end of the interval the point covers
 * @param requestsPerSecond HTTP requests served per second over the interval
 * @param errorsPerSecond responses with status 500 or above per second over the interval
 * @param p50Ms median latency reported by the nodes (the highest of them)
 * @param p99Ms 99th percentile latency reported by the nodes (the highest of them)
 */
public record MetricsPoint(Instant time, double requestsPerSecond, double errorsPerSecond, double p50Ms, double p99Ms) {}
