package dev.nanolet.agent.metrics;

import dev.nanolet.wire.NodeUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Per-deployment HTTP figures: {@code nanolet_requests_seconds} (count and latency histogram) and
 * {@code nanolet_request_errors_total} (status ≥ 500), tagged {@code namespace} and {@code deployment};
 * summarised for lease renewals as {@link NodeUsage}.
 */
@Component
public class RequestMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<Key, Meters> meters = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private record Key(String namespace, String deployment) {}

    private record Meters(Timer latency, Counter errors) {}

    /** One request served here by a replica of {@code namespace/deployment}. */
    public void record(String namespace, String deployment, int status, Duration latency) {
        Meters m = meters.computeIfAbsent(new Key(namespace, deployment), this::register);
        m.latency().record(latency);
        if (status >= 500) {
            m.errors().increment();
        }
    }

    /** Totals since start and recent percentiles of every deployment served here. */
    public NodeUsage usage() {
        List<NodeUsage.DeploymentMetrics> list = meters.entrySet().stream().map(e -> {
            HistogramSnapshot s = e.getValue().latency().takeSnapshot();
            return new NodeUsage.DeploymentMetrics(e.getKey().namespace(), e.getKey().deployment(), s.count(),
                    (long) e.getValue().errors().count(), percentile(s, 0.5), percentile(s, 0.99));
        }).toList();
        return new NodeUsage(list);
    }

    private static double percentile(HistogramSnapshot s, double p) {
        for (ValueAtPercentile v : s.percentileValues()) {
            if (v.percentile() == p) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }

    private Meters register(Key k) {
        Timer timer = Timer.builder("nanolet.requests")
                .description("HTTP requests served by local replicas")
                .tags("namespace", k.namespace(), "deployment", k.deployment())
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        Counter errors = Counter.builder("nanolet.request.errors")
                .description("HTTP requests answered with status 500 or above")
                .tags("namespace", k.namespace(), "deployment", k.deployment())
                .register(registry);
        return new Meters(timer, errors);
    }
}
