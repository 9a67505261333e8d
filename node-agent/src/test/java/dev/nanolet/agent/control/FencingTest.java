package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.agent.replica.LocalReplica;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A node that cannot renew its lease for a lease duration fences itself: its running job stops,
 * its http replica keeps serving; once a renewal succeeds and a fresh snapshot lists the job
 * again, the job runs again.
 */
class FencingTest extends AgentTestBase {

    @Autowired
    Replicas replicas;

    @Test
    void aNodeWithoutItsLeaseStopsItsJobsKeepsServingAndRunsThemAgainOnceItHasListedItsAssignments() {
        String ticker = module("ticker.wasm");
        var spec = new DeploymentSpec(ticker, null, new DeploymentSpec.JobSpec(DeploymentSpec.RestartPolicy.Never), 1, List.of("60"),
                Map.of(), null, null);
        Assignment job = new Assignment(UUID.randomUUID(), "default", "fenced", 1, ticker, 0, spec, false);
        Assignment web = http("fenced-web", "/fenced", "hello.wasm", null);
        platform.put(job);
        platform.put(web);
        await().until(() -> replicas.find(job.replicaId()).map(LocalReplica::phase).orElse(null) == ReplicaPhase.Running
                && replicas.find(web.replicaId()).map(LocalReplica::serving).orElse(false));
        int watches = platform.watchConnections.get();

        platform.down(true);
        try {
            await("the job is fenced (lease 2 s in AgentTestBase)").atMost(Duration.ofSeconds(30)).until(() -> replicas.find(job.replicaId()).isEmpty());
            client().get().uri("/fenced").exchange().expectStatus().isOk().expectBody(Void.class);
        } finally {
            platform.down(false);
        }

        await("the job runs again after a renewal and a fresh snapshot").atMost(Duration.ofSeconds(30))
                .until(() -> replicas.find(job.replicaId()).map(LocalReplica::phase).orElse(null) == ReplicaPhase.Running);
        assertThat(platform.watchConnections.get()).isGreaterThan(watches);
        client().get().uri("/fenced").exchange().expectStatus().isOk().expectBody(Void.class);
        platform.delete(job.replicaId());
        platform.delete(web.replicaId());
        await().until(() -> replicas.find(job.replicaId()).isEmpty());
    }
}
