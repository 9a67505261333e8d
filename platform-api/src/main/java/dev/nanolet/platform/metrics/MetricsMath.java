package dev.nanolet.platform.metrics;

import dev.nanolet.wire.MetricsPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns counter samples into points, as a pure function. Per node, consecutive samples give
 * deltas (a counter that went down means the agent restarted: the new value is the delta); each
 * delta belongs to the bucket of its later sample. A node's rate in a bucket is its deltas over
 * the time they span; a point sums the nodes' rates and takes the highest p50/p99 reported.
 * Buckets without samples have no point.
 */
final class MetricsMath {
    private MetricsMath() {}

    /** One node's figures at one time: counters since its agent started. */
    record Sample(Instant time, String node, long requests, long errors, double p50Ms, double p99Ms) {}

    private static final class Bucket {
        final Map<String, double[]> perNode = new TreeMap<>();
        double p50;
        double p99;

        void add(String node, double requests, double errors, double seconds) {
            double[] sums = perNode.computeIfAbsent(node, n -> new double[3]);
            sums[0] += requests;
            sums[1] += errors;
            sums[2] += seconds;
        }

        double rate(int index) {
            return perNode.values().stream().filter(s -> s[2] > 0).mapToDouble(s -> s[index] / s[2]).sum();
        }
    }

    static List<MetricsPoint> points(List<Sample> samples, Instant from, Instant to, Duration bucket) {
        TreeMap<Long, Bucket> buckets = new TreeMap<>();
        Map<String, List<Sample>> byNode = samples.stream().collect(Collectors.groupingBy(Sample::node));
        for (List<Sample> series : byNode.values()) {
            List<Sample> sorted = new ArrayList<>(series);
            sorted.sort(Comparator.comparing(Sample::time));
            for (int i = 0; i < sorted.size(); i++) {
                Sample cur = sorted.get(i);
                if (cur.time().isBefore(from) || cur.time().isAfter(to)) {
                    continue;
                }
                long index = Duration.between(from, cur.time()).toMillis() / Math.max(1, bucket.toMillis());
                Bucket b = buckets.computeIfAbsent(index, k -> new Bucket());
                b.p50 = Math.max(b.p50, cur.p50Ms());
                b.p99 = Math.max(b.p99, cur.p99Ms());
                if (i > 0) {
                    Sample prev = sorted.get(i - 1);
                    double seconds = Duration.between(prev.time(), cur.time()).toMillis() / 1000.0;
                    b.add(cur.node(), delta(prev.requests(), cur.requests()), delta(prev.errors(), cur.errors()), seconds);
                }
            }
        }
        List<MetricsPoint> points = new ArrayList<>();
        buckets.forEach((index, b) -> {
            Instant end = from.plus(bucket.multipliedBy(index + 1));
            points.add(new MetricsPoint(end.isAfter(to) ? to : end, b.rate(0), b.rate(1), b.p50, b.p99));
        });
        return points;
    }

    private static double delta(long previous, long current) {
        return current >= previous ? current - previous : current;
    }
}
