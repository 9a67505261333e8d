package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ControlPassTestBase;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestDeployments.Row;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaPhase;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Eviction of NotReady nodes with a short lease (3 s) that the test's nodes renew, or stop renewing, through the protocol. */
@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.nodes.lease-duration=3s",
        "nanolet.nodes.job-fence-margin=2s", "nanolet.control.interval=200ms"})
class EvictionTest extends ControlPassTestBase {
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration FENCE_MARGIN = Duration.ofSeconds(2);

    @Autowired DataSource dataSource;
    @Autowired NodeLeases leases;

    /** Plays one node once: renews its lease, and its bound replicas start running ({@link #nodesAct}). */
    private void nodeActs(String node, long... deploymentIds) {
        assertThat(api.node("PUT", "/api/v1/nodes/" + node + "/lease", null).status()).isEqualTo(200);
        for (long id : deploymentIds) {
            nodesAct(node, id);
        }
    }

    private boolean runningOn(long deployment, String node) {
        return deployments.replicas(deployment).stream().allMatch(r -> node.equals(r.nodeName()) && r.phase() == ReplicaPhase.Running);
    }

    @Test
    void evictsTheReplicasOfANodeThatStopsRenewingAndSchedulesThemElsewhere() {
        api.register("ev-1", Map.of("pool", "ev"), 10, 4096);
        long id = deployments.create("default", "ev", on("pool", "ev", TestDeployments.http("/ev", 2)));
        await().until(() -> {
            nodeActs("ev-1", id);
            return deployments.replicas(id).size() == 2 && runningOn(id, "ev-1");
        });
        String before = versionOf("ev-1");
        api.register("ev-2", Map.of("pool", "ev"), 10, 4096);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            nodeActs("ev-2", id);
            return deployments.replicas(id).size() == 2 && runningOn(id, "ev-2");
        });
        assertThat(versionOf("ev-1")).as("evicting a node changes nothing an admin's If-Match is on").isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM events WHERE reason = 'Evicted' AND type = 'Warning' AND node_name = 'ev-1'")
                .query(Integer.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM assignment_changes WHERE node_name = 'ev-1' AND kind = 'deleted'")
                .query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void aNodesJobsAreReplacedOnlyAfterTheLeasePlusTheFenceMarginItsHttpReplicasAtOnce() {
        api.register("fence-1", Map.of("pool", "fence"), 10, 4096);
        long web = deployments.create("default", "fence-web", on("pool", "fence", TestDeployments.http("/fence", 1)));
        long job = deployments.create("default", "fence-job", on("pool", "fence", TestDeployments.job(DeploymentSpec.RestartPolicy.Never, 1)));
        await().until(() -> {
            nodeActs("fence-1", web, job);
            return deployments.replicas(web).size() == 1 && runningOn(web, "fence-1") && deployments.replicas(job).size() == 1
                    && runningOn(job, "fence-1");
        });
        UUID running = deployments.replicas(job).getFirst().id();
        api.register("fence-2", Map.of("pool", "fence"), 10, 4096);
        long lastRenewal = System.nanoTime(); // before: platform-api records the renewal before it answers
        nodeActs("fence-1");

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            nodeActs("fence-2", web, job);
            return runningOn(web, "fence-2");
        });
        Duration webMoved = Duration.ofNanos(System.nanoTime() - lastRenewal);
        assertThat(deployments.replicas(job)).extracting(Row::id).as("the job waits for the fence margin (web moved after %s)", webMoved)
                .containsExactly(running);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            nodeActs("fence-2", web, job);
            return runningOn(job, "fence-2");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - lastRenewal)).isGreaterThanOrEqualTo(LEASE.plus(FENCE_MARGIN));
        assertThat(deployments.replicas(job)).extracting(Row::id).doesNotContain(running);
    }

    /**
     * Everything a working node causes to happen to it — the scheduler binding replicas to it, its status reports,
     * renewals with usage, its watch, the controller terminating a replica and the node confirming — leaves its
     * resourceVersion alone: otherwise an admin's save with the version a page showed would be 412 within seconds.
     */
    @Test
    void aNodeAtWorkKeepsItsResourceVersion() {
        String registered = api.register("busy-1", Map.of("pool", "busy"), 10, 4096).resourceVersion();
        long id = deployments.create("default", "busy", on("pool", "busy", TestDeployments.http("/busy", 2)));
        NodeUsage usage = new NodeUsage(List.of(new NodeUsage.DeploymentMetrics("default", "busy", 10, 1, 2.5, 9.0)));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            nodeActs("busy-1", id);
            assertThat(api.node("PUT", "/api/v1/nodes/busy-1/lease", usage).status()).isEqualTo(200);
            assertThat(api.node("GET", "/api/v1/nodes/busy-1/assignments", null).status()).isEqualTo(200);
            return deployments.replicas(id).size() == 2 && runningOn(id, "busy-1");
        });
        deployments.scale(id, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            nodeActs("busy-1", id);
            return deployments.replicas(id).size() == 1;
        });
        api.register("busy-1", Map.of("pool", "busy"), 10, 4096);

        assertThat(versionOf("busy-1")).isEqualTo(registered);
    }

    private String versionOf(String node) {
        return api.get("/api/v1/nodes/" + node, NodeInfo.class).resourceVersion();
    }

    @Test
    void aNodeWhoseLeaseAnotherInstanceClaimedIsNotEvictedAgain() throws Exception {
        api.register("claim-1", Map.of("pool", "claim"), 10, 4096);
        api.register("claim-ready", Map.of("pool", "claim-ready"), 10, 4096); // Ready throughout: evictions are not paused
        long id = deployments.create("default", "claim", on("pool", "claim", TestDeployments.http("/claim", 1)));
        await().until(() -> {
            nodeActs("claim-1", id);
            return deployments.replicas(id).size() == 1 && runningOn(id, "claim-1");
        });

        try (Connection otherInstance = dataSource.getConnection()) {
            otherInstance.setAutoCommit(false); // rolled back when the connection goes back to the pool
            try (Statement claim = otherInstance.createStatement()) { // as another instance's eviction holds it
                claim.execute("SELECT node_name FROM node_leases WHERE node_name = 'claim-1' FOR NO KEY UPDATE");
            }
            await().during(LEASE.multipliedBy(2)).atMost(Duration.ofSeconds(20)).until(() -> {
                nodeActs("claim-ready");
                return runningOn(id, "claim-1");
            });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            nodeActs("claim-ready");
            return jdbc.sql("SELECT count(*) FROM events WHERE reason = 'Evicted' AND node_name = 'claim-1'").query(Integer.class).single() == 1;
        });
    }

    /** What leases are judged against: when a registered node last renewed. */
    @Test
    void lastRenewalIsTheLatestLeaseOfARegisteredNode() {
        api.register("last-1", Map.of("pool", "last"), 10, 4096);
        Instant renewed = jdbc.sql("SELECT renewed_at FROM node_leases WHERE node_name = 'last-1'").query(Timestamp.class).single().toInstant();
        assertThat(leases.lastRenewal()).hasValueSatisfying(last -> assertThat(last).isAfterOrEqualTo(renewed));
    }

    /**
     * The platform's network down, as it comes: the nodes stop renewing together, but their leases run out a renew
     * interval apart, and the first out must not be evicted while the last is still Ready (no node renewed after it).
     */
    @Test
    void nodesThatStopRenewingTogetherAreNotEvictedOneByOneAsTheirLeasesRunOut() {
        api.register("stop-1", Map.of("pool", "stop"), 10, 4096);
        api.register("stop-2", Map.of("pool", "stop-other"), 10, 4096);
        long id = deployments.create("default", "stop", on("pool", "stop", TestDeployments.http("/stop", 1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            nodeActs("stop-1", id);
            nodeActs("stop-2");
            return deployments.replicas(id).size() == 1 && runningOn(id, "stop-1");
        });
        nodeActs("stop-1");
        long stopped = System.nanoTime();
        await().until(() -> { // stop-2 renews for two thirds of a lease more, as if its renew interval came later
            nodeActs("stop-2");
            return System.nanoTime() - stopped > LEASE.toNanos() * 2 / 3;
        });
        await().during(LEASE.multipliedBy(2)).atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT count(*) FROM events WHERE reason = 'Evicted' AND node_name = 'stop-1'").query(Integer.class).single() == 0);
        assertThat(runningOn(id, "stop-1")).isTrue();
    }
}
