package dev.nanolet.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.platform.TestDeployments.Row;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The controller and scheduler at work, with the test playing the nodes through the protocol. */
@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.nodes.lease-duration=2m"})
class DeploymentReconcilerTest {
    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    TestApi api;
    TestDeployments deployments;

    @BeforeEach
    void setUp() {
        api = new TestApi(port, json);
        deployments = new TestDeployments(jdbc, json);
    }

    private static DeploymentSpec on(String pool, DeploymentSpec spec) {
        return TestDeployments.withSelector(spec, Map.of("pool", pool), 64);
    }

    /** Plays the nodes once: bound replicas start running, terminating ones are confirmed. */
    private void nodesAct(long deployment) {
        for (Row r : deployments.replicas(deployment)) {
            if (r.terminating()) {
                api.report(r.nodeName(), r.id(), ReplicaPhase.Terminating);
            } else if (r.phase() == ReplicaPhase.Scheduled) {
                api.report(r.nodeName(), r.id(), ReplicaPhase.Running);
            }
        }
    }

    @Test
    void rollingUpdateNeverExceedsTheSurgeNorDropsBelowTheDesiredAvailable() {
        api.register("roll-1", Map.of("pool", "roll"), 10, 4096);
        api.register("roll-2", Map.of("pool", "roll"), 10, 4096);
        long id = deployments.create("default", "roll", on("roll", TestDeployments.http("/roll", 4)));
        await().until(() -> {
            nodesAct(id);
            return deployments.replicas(id).stream().filter(r -> r.phase() == ReplicaPhase.Running).count() == 4;
        });

        int revision = deployments.update(id, on("roll", TestDeployments.http("/roll", 4)));
        AtomicInteger maxLive = new AtomicInteger();
        AtomicInteger minRunning = new AtomicInteger(Integer.MAX_VALUE);
        await().until(() -> {
            List<Row> rows = deployments.replicas(id);
            maxLive.accumulateAndGet((int) rows.stream().filter(r -> !r.terminating()).count(), Math::max);
            minRunning.accumulateAndGet((int) rows.stream().filter(r -> r.phase() == ReplicaPhase.Running).count(), Math::min);
            nodesAct(id);
            return rows.size() == 4 && rows.stream().allMatch(r -> r.revision() == revision && r.phase() == ReplicaPhase.Running);
        });
        assertThat(maxLive.get()).isLessThanOrEqualTo(4 + DeploymentDiff.surge(4));
        assertThat(minRunning.get()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aSucceededJobIsNotReplacedAndAFailedNeverJobStays() {
        api.register("job-1", Map.of("pool", "job"), 10, 4096);
        long id = deployments.create("default", "job", on("job", TestDeployments.job(DeploymentSpec.RestartPolicy.Never, 2)));
        await().until(() -> deployments.replicas(id).stream().filter(r -> r.nodeName() != null).count() == 2);
        List<Row> rows = deployments.replicas(id);
        api.report("job-1", rows.get(0).id(), ReplicaPhase.Running);
        api.report("job-1", rows.get(0).id(), ReplicaPhase.Succeeded);
        api.report("job-1", rows.get(1).id(), ReplicaPhase.Running);
        api.report("job-1", rows.get(1).id(), ReplicaPhase.Failed);
        jdbc.sql("UPDATE deployments SET updated_at = now() WHERE id = ?").param(id).update();
        await().during(java.time.Duration.ofSeconds(3)).atMost(java.time.Duration.ofSeconds(6))
                .until(() -> deployments.replicas(id).stream().map(Row::phase).toList(),
                        phases -> phases.size() == 2 && phases.containsAll(List.of(ReplicaPhase.Succeeded, ReplicaPhase.Failed)));
    }

    @Test
    void scaleDownAndDeleteGoThroughTheHandshakeThenTheDeploymentIsForgotten() {
        api.register("del-1", Map.of("pool", "del"), 10, 4096);
        long id = deployments.create("default", "del", on("del", TestDeployments.http("/del", 3)));
        await().until(() -> {
            nodesAct(id);
            return deployments.replicas(id).stream().filter(r -> r.phase() == ReplicaPhase.Running).count() == 3;
        });
        deployments.scale(id, 1);
        await().until(() -> deployments.replicas(id).stream().filter(Row::terminating).count() == 2);
        assertThat(deployments.replicas(id)).hasSize(3);
        nodesAct(id);
        assertThat(deployments.replicas(id)).hasSize(1);

        deployments.delete(id);
        await().until(() -> deployments.replicas(id).stream().allMatch(Row::terminating));
        assertThat(deployments.exists(id)).isTrue();
        nodesAct(id);
        await().until(() -> !deployments.exists(id));
    }

    @Test
    void evictsTheReplicasOfANotReadyNodeAndSchedulesThemElsewhere() {
        api.register("ev-1", Map.of("pool", "ev"), 10, 4096);
        long id = deployments.create("default", "ev", on("ev", TestDeployments.http("/ev", 2)));
        await().until(() -> {
            nodesAct(id);
            return deployments.replicas(id).stream().filter(r -> r.phase() == ReplicaPhase.Running).count() == 2;
        });
        api.register("ev-2", Map.of("pool", "ev"), 10, 4096);
        jdbc.sql("UPDATE nodes SET lease_renewed_at = now() - interval '10 minutes' WHERE name = 'ev-1'").update();

        await().until(() -> deployments.replicas(id).stream().filter(r -> "ev-2".equals(r.nodeName())).count() == 2);
        assertThat(deployments.replicas(id)).hasSize(2);
        assertThat(jdbc.sql("SELECT count(*) FROM events WHERE reason = 'Evicted' AND type = 'Warning' AND node_name = 'ev-1'")
                .query(Integer.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM assignment_changes WHERE node_name = 'ev-1' AND kind = 'deleted'")
                .query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void jobsOfANotReadyNodeAreEvictedOnlyAfterTheFenceMarginHttpReplicasAtOnce() {
        api.register("fence-1", Map.of("pool", "fence"), 10, 4096);
        long web = deployments.create("default", "fence-web", on("fence", TestDeployments.http("/fence", 1)));
        long job = deployments.create("default", "fence-job", on("fence", TestDeployments.job(DeploymentSpec.RestartPolicy.Never, 1)));
        await().until(() -> {
            nodesAct(web);
            nodesAct(job);
            return deployments.replicas(web).getFirst().phase() == ReplicaPhase.Running
                    && deployments.replicas(job).getFirst().phase() == ReplicaPhase.Running;
        });
        UUID running = deployments.replicas(job).getFirst().id();
        api.register("fence-2", Map.of("pool", "fence"), 10, 4096);
        jdbc.sql("UPDATE nodes SET lease_renewed_at = now() - interval '2 minutes 1 second' WHERE name = 'fence-1'").update();

        await().until(() -> deployments.replicas(web).stream().allMatch(r -> "fence-2".equals(r.nodeName())));
        assertThat(deployments.replicas(job)).extracting(Row::id, Row::nodeName).containsExactly(tuple(running, "fence-1"));

        jdbc.sql("UPDATE nodes SET lease_renewed_at = now() - interval '2 minutes 6 seconds' WHERE name = 'fence-1'").update();
        await().until(() -> deployments.replicas(job).stream().allMatch(r -> "fence-2".equals(r.nodeName())));
        assertThat(deployments.replicas(job)).extracting(Row::id).doesNotContain(running);
    }
}
