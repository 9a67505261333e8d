package dev.nanolet.platform.metrics;

import dev.nanolet.wire.MetricsPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns counter samples into points, as a pure function. Per node (and per binding, for binding
 * samples), consecutive samples give deltas (a counter that went down means the agent restarted: the
 * new value is the delta); each delta belongs to the bucket of its later sample. A node's rate in a
 * bucket is its deltas over the time they span; a point sums the nodes' rates and takes the highest
 * p50/p99 reported; a binding's mean latency is its summed latency deltas over its call deltas, its
 * mean pool wait its wait deltas over its connection deltas, and it is unavailable in a bucket when the
 * last sample of some node in that bucket says so (the reason of the latest such sample).
 * Buckets without samples have no point.
 */
final class MetricsMath {
    private MetricsMath() {}

    /** One node's figures at one time: counters since its agent started. */
    record Sample(Instant time, String node, long requests, long errors, double p50Ms, double p99Ms) {}

    /** One node's figures of one binding at one time: counters since its agent started, and its availability then. */
    record BindingSample(Instant time, String node, String binding, long calls, long errors, double latencyMs,
            long poolWaits, double poolWaitMs, String unavailable) {

        BindingSample(Instant time, String node, String binding, long calls, long errors, double latencyMs) {
            this(time, node, binding, calls, errors, latencyMs, 0, 0, null);
        }
    }

    /** Per-node sums of deltas (index 0..n-1) and of the seconds they span (index n). */
    private static final class Sums {
        final Map<String, double[]> perNode = new TreeMap<>();

        void add(String node, double seconds, double... deltas) {
            double[] sums = perNode.computeIfAbsent(node, k -> new double[deltas.length + 1]);
            for (int i = 0; i < deltas.length; i++) {
                sums[i] += deltas[i];
            }
            sums[deltas.length] += seconds;
        }

        double rate(int index) {
            return perNode.values().stream().filter(s -> s[s.length - 1] > 0).mapToDouble(s -> s[index] / s[s.length - 1]).sum();
        }

        double total(int index) {
            return perNode.values().stream().mapToDouble(s -> s[index]).sum();
        }
    }

    private static final class Bucket {
        final Sums requests = new Sums();
        final Map<String, Sums> bindings = new TreeMap<>();
        /** Per binding, per node: the node's latest sample in the bucket. */
        final Map<String, Map<String, BindingSample>> lastSample = new TreeMap<>();
        double p50;
        double p99;
    }

    static List<MetricsPoint> points(List<Sample> samples, Instant from, Instant to, Duration bucket) {
        return points(samples, List.of(), from, to, bucket);
    }

    static List<MetricsPoint> points(List<Sample> samples, List<BindingSample> bindingSamples, Instant from, Instant to, Duration bucket) {
        TreeMap<Long, Bucket> buckets = new TreeMap<>();
        Window w = new Window(from, to, bucket);
        w.walk(samples, Sample::node, Sample::time, (index, prev, cur, seconds) -> {
            Bucket b = buckets.computeIfAbsent(index, k -> new Bucket());
            b.p50 = Math.max(b.p50, cur.p50Ms());
            b.p99 = Math.max(b.p99, cur.p99Ms());
            if (prev != null) {
                b.requests.add(cur.node(), seconds, delta(prev.requests(), cur.requests()), delta(prev.errors(), cur.errors()));
            }
        });
        w.walk(bindingSamples, s -> s.node() + "\u0000" + s.binding(), BindingSample::time, (index, prev, cur, seconds) -> {
            Bucket b = buckets.computeIfAbsent(index, k -> new Bucket());
            b.lastSample.computeIfAbsent(cur.binding(), k -> new TreeMap<>()).merge(cur.node(), cur,
                    (x, y) -> y.time().isAfter(x.time()) ? y : x);
            if (prev != null) {
                b.bindings.computeIfAbsent(cur.binding(), k -> new Sums()).add(cur.node(), seconds,
                        delta(prev.calls(), cur.calls()), delta(prev.errors(), cur.errors()), delta(prev.latencyMs(), cur.latencyMs()),
                        delta(prev.poolWaits(), cur.poolWaits()), delta(prev.poolWaitMs(), cur.poolWaitMs()));
            }
        });
        List<MetricsPoint> points = new ArrayList<>();
        buckets.forEach((index, b) -> {
            Instant end = from.plus(bucket.multipliedBy(index + 1));
            List<MetricsPoint.BindingPoint> bindings = b.bindings.entrySet().stream().map(e -> {
                Sums s = e.getValue();
                double calls = s.total(0);
                double waits = s.total(3);
                String unavailable = b.lastSample.getOrDefault(e.getKey(), Map.of()).values().stream()
                        .filter(x -> x.unavailable() != null).max(Comparator.comparing(BindingSample::time))
                        .map(BindingSample::unavailable).orElse(null);
                return new MetricsPoint.BindingPoint(e.getKey(), s.rate(0), s.rate(1), calls > 0 ? s.total(2) / calls : 0,
                        s.rate(3), waits > 0 ? s.total(4) / waits : 0, unavailable);
            }).toList();
            points.add(new MetricsPoint(end.isAfter(to) ? to : end, b.requests.rate(0), b.requests.rate(1), b.p50, b.p99, bindings));
        });
        return points;
    }

    private record Window(Instant from, Instant to, Duration bucket) {
        /** Calls {@code step} for each sample inside the window, with the series' previous sample (or null). */
        <T> void walk(List<T> samples, Function<T, String> series, Function<T, Instant> time, Step<T> step) {
            Map<String, List<T>> bySeries = samples.stream().collect(Collectors.groupingBy(series));
            for (List<T> list : bySeries.values()) {
                List<T> sorted = new ArrayList<>(list);
                sorted.sort(Comparator.comparing(time));
                for (int i = 0; i < sorted.size(); i++) {
                    T cur = sorted.get(i);
                    Instant t = time.apply(cur);
                    if (t.isBefore(from) || t.isAfter(to)) {
                        continue;
                    }
                    long index = Duration.between(from, t).toMillis() / Math.max(1, bucket.toMillis());
                    T prev = i > 0 ? sorted.get(i - 1) : null;
                    double seconds = prev == null ? 0 : Duration.between(time.apply(prev), t).toMillis() / 1000.0;
                    step.accept(index, prev, cur, seconds);
                }
            }
        }
    }

    private interface Step<T> {
        void accept(long index, T prev, T cur, double seconds);
    }

    private static double delta(double previous, double current) {
        return current >= previous ? current - previous : current;
    }
}
