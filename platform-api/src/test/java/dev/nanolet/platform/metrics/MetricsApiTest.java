package dev.nanolet.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.MetricsPoint;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeUsage;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.core.type.TypeReference;

@PlatformApiTest
class MetricsApiTest extends TestApiBase {
    @Autowired MetricSamples samples;

    @Test
    void leaseRenewalsBecomeRatesPerBucket() {
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long metered = deployments.create("default", "metered", TestDeployments.http("/metered", 2));
        api.register("m-1", Map.of(), 10, 4096);
        api.register("m-2", Map.of(), 10, 4096);
        deployments.bound(metered, "m-1", "Running");
        deployments.bound(metered, "m-2", "Running");
        renew(api, "m-1", 100, 1, 5);
        renew(api, "m-2", 0, 0, 7);
        Instant first = pin("deployment_metric_samples", "metered", null);
        renew(api, "m-1", 300, 11, 6);
        renew(api, "m-2", 100, 0, 20);
        pin("deployment_metric_samples", "metered", first);

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
    void bindingFiguresOfLeaseRenewalsAreAnsweredPerBindingInEachPoint() {
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long bound = deployments.create("default", "bound", TestDeployments.http("/bound", 2));
        api.register("b-1", Map.of(), 10, 4096);
        api.register("b-2", Map.of(), 10, 4096);
        deployments.bound(bound, "b-1", "Running");
        deployments.bound(bound, "b-2", "Running");
        renewBindings(api, "b-1", new NodeUsage.BindingMetrics("default", "bound", "db", 100, 0, 400));
        renewBindings(api, "b-2", new NodeUsage.BindingMetrics("default", "bound", "db", 0, 0, 0));
        Instant first = pin("binding_metric_samples", "bound", null);
        renewBindings(api, "b-1", new NodeUsage.BindingMetrics("default", "bound", "db", 300, 10, 1400));
        renewBindings(api, "b-2", new NodeUsage.BindingMetrics("default", "bound", "db", 100, 10, 1000),
                new NodeUsage.BindingMetrics("default", "other", "db", 999, 0, 1));
        pin("binding_metric_samples", "bound", first);

        List<MetricsPoint> points = api.get("/api/v1/namespaces/default/deployments/bound/metrics?minutes=1",
                new TypeReference<List<MetricsPoint>>() {});

        MetricsPoint.BindingPoint db = points.getLast().bindings().getFirst();
        assertThat(points.getLast().bindings()).hasSize(1);
        assertThat(db.binding()).isEqualTo("db");
        assertThat(db.callsPerSecond()).isCloseTo(30.0, within(1.0));
        assertThat(db.errorsPerSecond()).isCloseTo(2.0, within(0.2));
        assertThat(db.meanLatencyMs()).isCloseTo(2000.0 / 300, within(0.01));
    }

    @Test
    void poolWaitsAndAnUnavailableDatabaseOfLeaseRenewalsAreAnsweredAndAnOlderAgentsRenewalReadsAsNone() {
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long pooled = deployments.create("default", "pooled", TestDeployments.http("/pooled", 1));
        api.register("w-1", Map.of(), 10, 4096);
        deployments.bound(pooled, "w-1", "Running");
        renewBindings(api, "w-1", new NodeUsage.BindingMetrics("default", "pooled", "db", 10, 0, 10, 10L, 5.0, null));
        jdbc.sql("UPDATE binding_metric_samples SET time = time - interval '10 seconds'").update();
        String why = "binding 'db': the database is unavailable (connection refused)";
        renewBindings(api, "w-1", new NodeUsage.BindingMetrics("default", "pooled", "db", 110, 50, 110, 60L, 105.0, why));

        MetricsPoint.BindingPoint db = api.get("/api/v1/namespaces/default/deployments/pooled/metrics?minutes=1",
                new TypeReference<List<MetricsPoint>>() {}).getLast().bindings().getFirst();
        assertThat(db.poolWaitsPerSecond()).isCloseTo(5.0, within(0.5));
        assertThat(db.meanPoolWaitMs()).isCloseTo(2.0, within(0.01));
        assertThat(db.unavailable()).isEqualTo(why);

        String older = "{\"deployments\":[],\"bindings\":[{\"namespace\":\"default\",\"deployment\":\"pooled\",\"binding\":\"kv\","
                + "\"calls\":1,\"errors\":0,\"latencyMs\":1.5}]}";
        NodeUsage read = json.readValue(older, NodeUsage.class);
        assertThat(read.bindings()).containsExactly(new NodeUsage.BindingMetrics("default", "pooled", "kv", 1, 0, 1.5, 0L, 0.0, null));
        assertThat(api.node("PUT", "/api/v1/nodes/w-1/lease", read).status()).isEqualTo(200);
        String tooLong = "x".repeat(501);
        assertThat(api.node("PUT", "/api/v1/nodes/w-1/lease", new NodeUsage(List.of(), List.of(
                new NodeUsage.BindingMetrics("default", "pooled", "db", 1, 0, 1, -1L, 0.0, null)))).status()).isEqualTo(422);
        assertThat(api.node("PUT", "/api/v1/nodes/w-1/lease", new NodeUsage(List.of(), List.of(
                new NodeUsage.BindingMetrics("default", "pooled", "db", 1, 0, 1, 1L, 0.0, tooLong)))).status()).isEqualTo(422);
    }

    /**
     * A node may write figures only of deployments with a replica bound to it: a node that runs none of
     * another namespace's deployment cannot forge its request rates or plant text in its binding's
     * {@code unavailable} (the renewal still succeeds). Repeats of one row are stored once, so what a renewal
     * stores is bounded by the node's own deployments.
     */
    @Test
    void aNodeWritesFiguresOnlyOfDeploymentsItRunsAReplicaOf() {
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long victim = deployments.create("tenant-b", "web", TestDeployments.http("/own-web", 1));
        long own = deployments.create("tenant-a", "mine", TestDeployments.http("/own-mine", 1));
        api.register("own-1", Map.of(), 10, 4096);
        api.register("own-2", Map.of(), 10, 4096);
        deployments.bound(victim, "own-2", "Running");
        deployments.bound(own, "own-1", "Terminating");
        NodeUsage.DeploymentMetrics mine = new NodeUsage.DeploymentMetrics("tenant-a", "mine", 5, 0, 1, 2);
        NodeUsage.BindingMetrics mineDb = new NodeUsage.BindingMetrics("tenant-a", "mine", "db", 3, 0, 3);
        NodeUsage forged = new NodeUsage(
                List.of(new NodeUsage.DeploymentMetrics("tenant-b", "web", 9_999_999, 9_999_999, 99_999, 99_999), mine, mine, mine),
                List.of(new NodeUsage.BindingMetrics("tenant-b", "web", "db", 1, 0, 1, 0L, 0.0, "INJECTED see http://evil.example"),
                        new NodeUsage.BindingMetrics("tenant-b", "nowhere", "db", 1, 0, 1), mineDb, mineDb));

        assertThat(api.as(api.credential("own-1"), "PUT", "/api/v1/nodes/own-1/lease", forged).status()).isEqualTo(200);

        assertThat(jdbc.sql("SELECT count(*) FROM deployment_metric_samples WHERE namespace = 'tenant-b'").query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM binding_metric_samples WHERE namespace = 'tenant-b'").query(Integer.class).single()).isZero();
        assertThat(api.get("/api/v1/namespaces/tenant-b/deployments/web/metrics?minutes=1", new TypeReference<List<MetricsPoint>>() {}))
                .allSatisfy(p -> assertThat(p.bindings()).isEmpty());
        assertThat(jdbc.sql("SELECT count(*) FROM deployment_metric_samples WHERE node_name = 'own-1' AND deployment = 'mine'")
                .query(Integer.class).single()).as("a replica still Terminating on the node: its figures are its own").isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM binding_metric_samples WHERE node_name = 'own-1'").query(Integer.class).single()).isEqualTo(1);
        assertThat(api.get("/api/v1/nodes/own-1", NodeInfo.class).usage()).isEqualTo(new NodeUsage(List.of(mine), List.of(mineDb)));
    }

    @Test
    void oldSamplesArePruned() {
        samples.record("p-1", new NodeUsage(List.of(new NodeUsage.DeploymentMetrics("default", "x", 1, 0, 1, 1))),
                java.time.Instant.now().minusSeconds(7200));
        samples.record("p-1", new NodeUsage(List.of(), List.of(new NodeUsage.BindingMetrics("default", "x", "db", 1, 0, 1))),
                java.time.Instant.now().minusSeconds(7200));
        assertThat(samples.prune(java.time.Instant.now().minusSeconds(3600))).isEqualTo(2);
    }

    /**
     * Moves {@code deployment}'s samples in {@code table} that are not at {@code previous} to one instant: 20 s
     * ago for the first renewals ({@code previous} null), else 10 s after {@code previous}. The renewals came
     * through the API when a loaded machine got to them; pinned, each node's two renewals are exactly 10 s
     * apart and the nodes' second renewals fall in the same 1-second bucket, so the point does not depend on
     * that pace (a second renewal 400 ms late made 30/s read 28.8/s, one past a bucket boundary split the point).
     */
    private Instant pin(String table, String deployment, Instant previous) {
        Instant at = previous == null ? Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.MILLIS) : previous.plusSeconds(10);
        jdbc.sql("UPDATE " + table + " SET time = ? WHERE deployment = ? AND time <> ?")
                .params(Timestamp.from(at), deployment, Timestamp.from(previous == null ? Instant.EPOCH : previous))
                .update();
        return at;
    }

    private static void renewBindings(TestApi api, String node, NodeUsage.BindingMetrics... bindings) {
        assertThat(api.node("PUT", "/api/v1/nodes/" + node + "/lease", new NodeUsage(List.of(), List.of(bindings))).status()).isEqualTo(200);
    }

    private static void renew(TestApi api, String node, long requests, long errors, double p50) {
        NodeUsage usage = new NodeUsage(List.of(new NodeUsage.DeploymentMetrics("default", "metered", requests, errors, p50, p50 * 2)));
        assertThat(api.node("PUT", "/api/v1/nodes/" + node + "/lease", usage).status()).isEqualTo(200);
    }
}
