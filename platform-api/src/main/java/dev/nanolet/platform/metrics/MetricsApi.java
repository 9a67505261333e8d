package dev.nanolet.platform.metrics;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.deployment.DeploymentQueries;
import dev.nanolet.wire.MetricsPoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/namespaces/{ns}/deployments/{name}/metrics?minutes=15}: 60 buckets over the
 * window (a bucket is {@code minutes} seconds wide), from the samples of every node; each point lists
 * the host API figures of the deployment's bindings with calls in its bucket.
 */
@RestController
class MetricsApi {
    private static final int BUCKETS = 60;

    private final MetricSamples samples;
    private final DeploymentQueries deployments;
    private final Clock clock;

    MetricsApi(MetricSamples samples, DeploymentQueries deployments, Clock clock) {
        this.samples = samples;
        this.deployments = deployments;
        this.clock = clock;
    }

    @GetMapping("/api/v1/namespaces/{namespace}/deployments/{name}/metrics")
    List<MetricsPoint> metrics(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(defaultValue = "15") int minutes) {
        if (minutes < 1 || minutes > 24 * 60) {
            throw new InvalidInputException("minutes", "must be between 1 and 1440");
        }
        deployments.liveId(namespace, name);
        Instant to = clock.instant();
        Duration window = Duration.ofMinutes(minutes);
        Duration bucket = window.dividedBy(BUCKETS);
        Instant from = to.minus(window);
        Instant since = from.minus(bucket);
        return MetricsMath.points(samples.since(namespace, name, since), samples.bindingsSince(namespace, name, since), from, to, bucket);
    }
}
