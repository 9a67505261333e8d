package dev.nanolet.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolet.platform.metrics.MetricsMath.Sample;
import dev.nanolet.wire.MetricsPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsMathTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");

    private static Sample at(int second, String node, long requests, long errors, double p50, double p99) {
        return new Sample(FROM.plusSeconds(second), node, requests, errors, p50, p99);
    }

    @Test
    void ratesAreCounterDeltasOverTimeSummedOverNodes() {
        List<Sample> samples = List.of(
                at(-5, "a", 100, 0, 1, 2), at(5, "a", 200, 10, 3, 9),
                at(0, "b", 0, 0, 1, 1), at(10, "b", 50, 0, 2, 30));
        List<MetricsPoint> points = MetricsMath.points(samples, FROM, FROM.plusSeconds(60), Duration.ofSeconds(15));

        assertThat(points).hasSize(1);
        MetricsPoint p = points.getFirst();
        assertThat(p.time()).isEqualTo(FROM.plusSeconds(15));
        assertThat(p.requestsPerSecond()).isCloseTo(100 / 10.0 + 50 / 10.0, within(1e-9));
        assertThat(p.errorsPerSecond()).isCloseTo(1.0, within(1e-9));
        assertThat(p.p50Ms()).isEqualTo(3);
        assertThat(p.p99Ms()).isEqualTo(30);
    }

    @Test
    void aCounterThatWentDownMeansTheAgentRestarted() {
        List<Sample> samples = List.of(at(0, "a", 1000, 0, 0, 0), at(10, "a", 20, 0, 0, 0));
        List<MetricsPoint> points = MetricsMath.points(samples, FROM, FROM.plusSeconds(60), Duration.ofSeconds(15));
        assertThat(points.getFirst().requestsPerSecond()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void eachBucketHasItsOwnPointAndEmptyBucketsNone() {
        List<Sample> samples = List.of(at(0, "a", 0, 0, 0, 0), at(10, "a", 10, 0, 0, 0), at(50, "a", 410, 0, 0, 0));
        List<MetricsPoint> points = MetricsMath.points(samples, FROM, FROM.plusSeconds(60), Duration.ofSeconds(15));
        assertThat(points).extracting(MetricsPoint::time).containsExactly(FROM.plusSeconds(15), FROM.plusSeconds(60));
        assertThat(points.get(1).requestsPerSecond()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void bindingsGetRatesAndMeanLatencyPerBindingEvenInABucketWithoutRequestSamples() {
        List<MetricsMath.BindingSample> bindings = List.of(
                new MetricsMath.BindingSample(FROM.plusSeconds(0), "a", "db", 0, 0, 0),
                new MetricsMath.BindingSample(FROM.plusSeconds(10), "a", "db", 100, 5, 300),
                new MetricsMath.BindingSample(FROM.plusSeconds(0), "b", "db", 500, 0, 900),
                new MetricsMath.BindingSample(FROM.plusSeconds(10), "b", "db", 100, 0, 100),
                new MetricsMath.BindingSample(FROM.plusSeconds(0), "a", "kv", 0, 0, 0),
                new MetricsMath.BindingSample(FROM.plusSeconds(10), "a", "kv", 20, 20, 40));
        List<MetricsPoint> points = MetricsMath.points(List.of(), bindings, FROM, FROM.plusSeconds(60), Duration.ofSeconds(15));

        assertThat(points).hasSize(1);
        assertThat(points.getFirst().requestsPerSecond()).isZero();
        assertThat(points.getFirst().bindings()).extracting(MetricsPoint.BindingPoint::binding).containsExactly("db", "kv");
        MetricsPoint.BindingPoint db = points.getFirst().bindings().get(0);
        assertThat(db.callsPerSecond()).isCloseTo(10.0 + 10.0, within(1e-9));
        assertThat(db.errorsPerSecond()).isCloseTo(0.5, within(1e-9));
        assertThat(db.meanLatencyMs()).isCloseTo((300 + 100) / 200.0, within(1e-9));
        MetricsPoint.BindingPoint kv = points.getFirst().bindings().get(1);
        assertThat(kv.errorsPerSecond()).isCloseTo(2.0, within(1e-9));
        assertThat(kv.meanLatencyMs()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void poolWaitsBecomeARateAndAMeanWaitAndTheLastSampleOfANodeSaysWhetherTheDatabaseIsUnavailable() {
        List<MetricsMath.BindingSample> bindings = List.of(
                new MetricsMath.BindingSample(FROM.plusSeconds(0), "a", "db", 0, 0, 0, 0, 0, null),
                new MetricsMath.BindingSample(FROM.plusSeconds(5), "a", "db", 10, 0, 10, 10, 30, null),
                new MetricsMath.BindingSample(FROM.plusSeconds(10), "a", "db", 20, 10, 20, 20, 90, "binding 'db': the database is unavailable (connection refused)"),
                new MetricsMath.BindingSample(FROM.plusSeconds(0), "b", "db", 0, 0, 0, 0, 0, "binding 'db': stale"),
                new MetricsMath.BindingSample(FROM.plusSeconds(10), "b", "db", 10, 0, 10, 10, 10, null),
                new MetricsMath.BindingSample(FROM.plusSeconds(16), "a", "db", 30, 10, 30, 30, 100, null));
        List<MetricsPoint> points = MetricsMath.points(List.of(), bindings, FROM, FROM.plusSeconds(60), Duration.ofSeconds(15));

        MetricsPoint.BindingPoint first = points.get(0).bindings().getFirst();
        assertThat(first.poolWaitsPerSecond()).isCloseTo(2.0 + 1.0, within(1e-9));
        assertThat(first.meanPoolWaitMs()).isCloseTo((90 + 10) / 30.0, within(1e-9));
        assertThat(first.unavailable()).isEqualTo("binding 'db': the database is unavailable (connection refused)");
        assertThat(points.get(1).bindings().getFirst().unavailable()).isNull();
    }
}
