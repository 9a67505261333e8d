package dev.nanolet.agent.metrics;

import dev.nanolet.agent.bindings.BindingPools;
import dev.nanolet.agent.runtime.BindingError;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.NodeUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Per-deployment HTTP figures: {@code nanolet_requests_seconds} (count and latency histogram) and
 * {@code nanolet_request_errors_total} (status ≥ 500), tagged {@code namespace} and {@code deployment};
 * summarised for lease renewals as {@link NodeUsage}, together with the {@code nanolet.binding.calls}
 * and {@code nanolet.binding.pool.wait} timers of the bindings package (per deployment and binding:
 * calls, calls that failed ({@link BindingError#isError}), summed latency, connections taken and the summed wait
 * for them) and whether the binding's database is unavailable now ({@link BindingPools#unavailable}),
 * at most {@value #MAX_BINDINGS} binding entries per report.
 */
@Component
public class RequestMetrics {

    /** Binding entries per report; platform-api rejects more. */
    static final int MAX_BINDINGS = 1000;
    /** Deployment entries per report; platform-api rejects more (docs/node-protocol.md, "Lease"). */
    static final int MAX_DEPLOYMENTS = 1000;

    private final MeterRegistry registry;
    private final BindingPools bindingPools;
    private final ConcurrentMap<Key, Meters> meters = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry, BindingPools bindingPools) {
        this.registry = registry;
        this.bindingPools = bindingPools;
    }

    private record Key(String namespace, String deployment) {}

    private record Meters(Timer latency, Counter errors) {}

    /** What the last report that carried a deployment said of it, and which report that was. */
    private record Reported(long requests, long report) {}

    /** Guarded by this: lease reports made so far, and what each deployment's last one carried. */
    private long reports;
    private final Map<Key, Reported> reported = new java.util.HashMap<>();

    /** One request answered for a route of {@code namespace/deployment} here, by a run or turned away before one. */
    public void record(String namespace, String deployment, int status, Duration latency) {
        Meters m = meters.computeIfAbsent(new Key(namespace, deployment), this::register);
        m.latency().record(latency);
        if (status >= 500) {
            m.errors().increment();
        }
    }

    /**
     * Forgets the figures of every deployment with no replica in {@code live} (the replicas this node still
     * has): its meters leave the registry and lease reports stop carrying it. A node that has served many
     * short-lived deployments (a preview per pull request, a benchmark's rounds) holds only its current ones.
     * Its totals start from zero if it comes back, which platform-api reads as a restart of the counter.
     */
    public synchronized void retain(Collection<Assignment> live) {
        Set<Key> keep = live.stream().map(a -> new Key(a.namespace(), a.deployment())).collect(Collectors.toSet());
        meters.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().latency());
            registry.remove(e.getValue().errors());
            return true;
        });
        reported.keySet().retainAll(keep);
    }

    /**
     * Totals since start and recent percentiles of the deployments served here: all of them while there
     * are at most {@value #MAX_DEPLOYMENTS}; beyond that (platform-api refuses a renewal with more, and the
     * node would lose its lease) those whose count changed since they were last reported come first, then
     * those reported longest ago, so every deployment is reported again within a few renewals.
     */
    public synchronized NodeUsage usage() {
        long report = ++reports;
        List<NodeUsage.DeploymentMetrics> all = meters.entrySet().stream().map(e -> {
            HistogramSnapshot s = e.getValue().latency().takeSnapshot();
            return new NodeUsage.DeploymentMetrics(e.getKey().namespace(), e.getKey().deployment(), s.count(),
                    (long) e.getValue().errors().count(), percentile(s, 0.5), percentile(s, 0.99));
        }).toList();
        List<NodeUsage.DeploymentMetrics> list = all.size() <= MAX_DEPLOYMENTS ? all : all.stream()
                .sorted(Comparator.comparing((NodeUsage.DeploymentMetrics m) -> !changed(m)).thenComparingLong(this::lastReport))
                .limit(MAX_DEPLOYMENTS)
                .toList();
        list.forEach(m -> reported.put(new Key(m.namespace(), m.name()), new Reported(m.requests(), report)));
        return new NodeUsage(list, bindings());
    }

    private boolean changed(NodeUsage.DeploymentMetrics m) {
        Reported r = reported.get(new Key(m.namespace(), m.name()));
        return r == null || r.requests() != m.requests();
    }

    private long lastReport(NodeUsage.DeploymentMetrics m) {
        Reported r = reported.get(new Key(m.namespace(), m.name()));
        return r == null ? 0 : r.report();
    }

    private List<NodeUsage.BindingMetrics> bindings() {
        Map<BindingKey, double[]> sums = new TreeMap<>(BindingKey.ORDER);
        for (Timer t : registry.find("nanolet.binding.calls").timers()) {
            double[] s = sums(sums, t);
            if (s != null) {
                s[0] += t.count();
                s[1] += BindingError.isError(t.getId().getTag("outcome")) ? t.count() : 0;
                s[2] += t.totalTime(TimeUnit.MILLISECONDS);
            }
        }
        for (Timer t : registry.find("nanolet.binding.pool.wait").timers()) {
            double[] s = sums(sums, t);
            if (s != null) {
                s[3] += t.count();
                s[4] += t.totalTime(TimeUnit.MILLISECONDS);
            }
        }
        return sums.entrySet().stream().limit(MAX_BINDINGS).map(e -> {
            BindingKey k = e.getKey();
            double[] s = e.getValue();
            return new NodeUsage.BindingMetrics(k.namespace(), k.deployment(), k.binding(), (long) s[0], (long) s[1], s[2],
                    (long) s[3], s[4], bindingPools.unavailable(k.namespace(), k.deployment(), k.binding()).orElse(null));
        }).toList();
    }

    /** The sums of the binding {@code t} is tagged with; null for a timer without the three tags. */
    private static double[] sums(Map<BindingKey, double[]> sums, Timer t) {
        Meter.Id id = t.getId();
        BindingKey key = new BindingKey(id.getTag("namespace"), id.getTag("deployment"), id.getTag("binding"));
        if (key.namespace() == null || key.deployment() == null || key.binding() == null) {
            return null;
        }
        return sums.computeIfAbsent(key, k -> new double[5]);
    }

    private record BindingKey(String namespace, String deployment, String binding) {
        static final Comparator<BindingKey> ORDER = Comparator.comparing(BindingKey::namespace)
                .thenComparing(BindingKey::deployment).thenComparing(BindingKey::binding);
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
                .description("HTTP requests answered for the routes of local replicas, those turned away before a run included")
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
