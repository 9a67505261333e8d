package dev.nanolet.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.MetricsPoint;
import dev.nanolet.wire.NodeUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@PlatformApiTest
class MetricsApiTest {
    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired MetricSamples samples;

    @Test
    void leaseRenewalsBecomeRatesPerBucket() {
        TestApi api = new TestApi(port, json);
        new TestDeployments(jdbc, json).create("default", "metered", TestDeployments.http("/metered", 1));
        api.register("m-1", Map.of(), 10, 4096);
        api.register("m-2", Map.of(), 10, 4096);
        renew(api, "m-1", 100, 1, 5);
        renew(api, "m-2", 0, 0, 7);
        jdbc.sql("UPDATE deployment_metric_samples SET time = time - interval '10 seconds'").update();
        renew(api, "m-1", 300, 11, 6);
        renew(api, "m-2", 100, 0, 20);

        List<MetricsPoint> points = api.get("/api/v1/namespaces/default/deployments/metered/metrics?minutes=1",
                new TypeReference<List<MetricsPoint>>() {});

        MetricsPoint last = points.getLast();
        assertThat(last.requestsPerSecond()).isCloseTo(30.0, within(1.0));
        assertThat(last.errorsPerSecond()).isCloseTo(1.0, within(0.1));
        assertThat(last.p99Ms()).isEqualTo(40.0);
        assertThat(api.admin("GET", "/api/v1/namespaces/default/deployments/nothing/metrics", null).status()).isEqualTo(404);
        assertThat(api.admin("GET", "/api/v1/namespaces/default/deployments/metered/metrics?minutes=0", null).status()).isEqualTo(422);
    }

    @Test
    void oldSamplesArePruned() {
        samples.record("p-1", new NodeUsage(List.of(new NodeUsage.DeploymentMetrics("default", "x", 1, 0, 1, 1))),
                java.time.Instant.now().minusSeconds(7200));
        assertThat(samples.prune(java.time.Instant.now().minusSeconds(3600))).isEqualTo(1);
    }

    private static void renew(TestApi api, String node, long requests, long errors, double p50) {
        NodeUsage usage = new NodeUsage(List.of(new NodeUsage.DeploymentMetrics("default", "metered", requests, errors, p50, p50 * 2)));
        assertThat(api.node("PUT", "/api/v1/nodes/" + node + "/lease", usage).status()).isEqualTo(200);
    }
}
