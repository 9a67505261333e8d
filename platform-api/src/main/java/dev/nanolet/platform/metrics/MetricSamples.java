package dev.nanolet.platform.metrics;

import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.NodeUsage.BindingMetrics;
import dev.nanolet.wire.NodeUsage.DeploymentMetrics;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the deployment and binding figures of each lease renewal as samples ({@code deployment_metric_samples},
 * {@code binding_metric_samples}); {@link MetricsMath} turns them into rates.
 */
@Component
public class MetricSamples {
    private final JdbcClient jdbc;

    MetricSamples(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores {@code usage}'s figures as {@code node}'s samples at {@code time}, in the caller's transaction. */
    public void record(String node, NodeUsage usage, Instant time) {
        for (DeploymentMetrics m : usage.deployments()) {
            if (m.namespace() == null || m.name() == null || m.requests() < 0 || m.errors() < 0) {
                continue;
            }
            jdbc.sql("""
                            INSERT INTO deployment_metric_samples (time, node_name, namespace, deployment, requests, errors, p50_ms, p99_ms)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(Timestamp.from(time), node, m.namespace(), m.name(), m.requests(), m.errors(), m.p50Ms(), m.p99Ms())
                    .update();
        }
        for (BindingMetrics b : usage.bindings()) {
            jdbc.sql("""
                            INSERT INTO binding_metric_samples (time, node_name, namespace, deployment, binding, calls, errors, latency_ms,
                                pool_waits, pool_wait_ms, unavailable)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(Timestamp.from(time), node, b.namespace(), b.deployment(), b.binding(), b.calls(), b.errors(), b.latencyMs(),
                            b.poolWaits(), b.poolWaitMs(), b.unavailable())
                    .update();
        }
    }

    List<MetricsMath.Sample> since(String namespace, String deployment, Instant from) {
        return jdbc.sql("""
                        SELECT time, node_name, requests, errors, p50_ms, p99_ms FROM deployment_metric_samples
                        WHERE namespace = ? AND deployment = ? AND time >= ? ORDER BY time""")
                .params(namespace, deployment, Timestamp.from(from))
                .query((rs, i) -> new MetricsMath.Sample(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3),
                        rs.getLong(4), rs.getDouble(5), rs.getDouble(6)))
                .list();
    }

    List<MetricsMath.BindingSample> bindingsSince(String namespace, String deployment, Instant from) {
        return jdbc.sql("""
                        SELECT time, node_name, binding, calls, errors, latency_ms, pool_waits, pool_wait_ms, unavailable
                        FROM binding_metric_samples WHERE namespace = ? AND deployment = ? AND time >= ? ORDER BY time""")
                .params(namespace, deployment, Timestamp.from(from))
                .query((rs, i) -> new MetricsMath.BindingSample(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getLong(4), rs.getLong(5), rs.getDouble(6), rs.getLong(7), rs.getDouble(8), rs.getString(9)))
                .list();
    }

    /** Deletes samples, deployment and binding ones, older than {@code before}. */
    public int prune(Instant before) {
        Timestamp t = Timestamp.from(before);
        return jdbc.sql("DELETE FROM deployment_metric_samples WHERE time < ?").param(t).update()
                + jdbc.sql("DELETE FROM binding_metric_samples WHERE time < ?").param(t).update();
    }
}
