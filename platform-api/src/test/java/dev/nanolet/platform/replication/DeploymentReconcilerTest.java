package dev.nanolet.platform.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ControlPassTestBase;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestDeployments.Row;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** The controller and scheduler at work, with the test playing the nodes through the protocol. */
@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.control.interval=200ms", "nanolet.nodes.lease-duration=2m"})
class DeploymentReconcilerTest extends ControlPassTestBase {

    @Test
    void rollingUpdateNeverExceedsTheSurgeNorDropsBelowTheDesiredAvailable() {
        api.register("roll-1", Map.of("pool", "roll"), 10, 4096);
        api.register("roll-2", Map.of("pool", "roll"), 10, 4096);
        long id = deployments.create("default", "roll", on("pool", "roll", TestDeployments.http("/roll", 4)));
        await().until(() -> {
            nodesAct(null, id);
            return deployments.replicas(id).stream().filter(r -> r.phase() == ReplicaPhase.Running).count() == 4;
        });

        int revision = deployments.update(id, on("pool", "roll", TestDeployments.http("/roll", 4)));
        AtomicInteger maxLive = new AtomicInteger();
        AtomicInteger minRunning = new AtomicInteger(Integer.MAX_VALUE);
        await().until(() -> {
            List<Row> rows = deployments.replicas(id);
            maxLive.accumulateAndGet((int) rows.stream().filter(r -> !r.terminating()).count(), Math::max);
            minRunning.accumulateAndGet((int) rows.stream().filter(r -> r.phase() == ReplicaPhase.Running).count(), Math::min);
            nodesAct(null, id);
            return rows.size() == 4 && rows.stream().allMatch(r -> r.revision() == revision && r.phase() == ReplicaPhase.Running);
        });
        assertThat(maxLive.get()).isLessThanOrEqualTo(4 + DeploymentDiff.surge(4));
        assertThat(minRunning.get()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aSucceededJobIsNotReplacedAndAFailedNeverJobStays() {
        api.register("job-1", Map.of("pool", "job"), 10, 4096);
        long id = deployments.create("default", "job", on("pool", "job", TestDeployments.job(DeploymentSpec.RestartPolicy.Never, 2)));
        await().until(() -> deployments.replicas(id).stream().filter(r -> r.nodeName() != null).count() == 2);
        List<Row> rows = deployments.replicas(id);
        api.report("job-1", rows.get(0).id(), ReplicaPhase.Running);
        api.report("job-1", rows.get(0).id(), ReplicaPhase.Succeeded);
        api.report("job-1", rows.get(1).id(), ReplicaPhase.Running);
        api.report("job-1", rows.get(1).id(), ReplicaPhase.Failed);
        jdbc.sql("UPDATE deployments SET updated_at = now() WHERE id = ?").param(id).update();
        await().during(java.time.Duration.ofSeconds(3)).atMost(java.time.Duration.ofSeconds(30))
                .until(() -> deployments.replicas(id).stream().map(Row::phase).toList(),
                        phases -> phases.size() == 2 && phases.containsAll(List.of(ReplicaPhase.Succeeded, ReplicaPhase.Failed)));
    }

    @Test
    void scaleDownAndDeleteGoThroughTheHandshakeThenTheDeploymentIsForgotten() {
        api.register("del-1", Map.of("pool", "del"), 10, 4096);
        long id = deployments.create("default", "del", on("pool", "del", TestDeployments.http("/del", 3)));
        await().until(() -> {
            nodesAct(null, id);
            return deployments.replicas(id).stream().filter(r -> r.phase() == ReplicaPhase.Running).count() == 3;
        });
        deployments.scale(id, 1);
        await().until(() -> deployments.replicas(id).stream().filter(Row::terminating).count() == 2);
        assertThat(deployments.replicas(id)).hasSize(3);
        nodesAct(null, id);
        assertThat(deployments.replicas(id)).hasSize(1);

        deployments.delete(id);
        await().until(() -> deployments.replicas(id).stream().allMatch(Row::terminating));
        assertThat(deployments.exists(id)).isTrue();
        nodesAct(null, id);
        await().until(() -> !deployments.exists(id));
    }
}
