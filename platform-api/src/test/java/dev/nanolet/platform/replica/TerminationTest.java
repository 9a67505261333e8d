package dev.nanolet.platform.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ending many replicas at once ({@link Termination#terminateAll}, a scale-down's batch) does for
 * each what ending it alone does: an unbound one goes, one a Ready node runs is asked to stop
 * ({@code modified}), one on a NotReady node or already finished is removed ({@code deleted}), one
 * already asked is left alone.
 */
@PlatformApiTest
class TerminationTest extends TestApiBase {
    @Autowired Termination termination;
    @Autowired TransactionTemplate tx;

    @Test
    void eachReplicaOfABatchEndsAsItWouldAlone() {
        api.register("term-ready", Map.of(), 10, 4096);
        api.register("term-gone", Map.of(), 10, 4096);
        jdbc.sql("UPDATE node_leases SET renewed_at = now() - interval '1 hour' WHERE node_name = 'term-gone'").update();
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long id = deployments.create("default", "term", TestDeployments.http("/term", 5));
        UUID unbound = UUID.randomUUID();
        jdbc.sql("INSERT INTO replicas (id, deployment_id, revision, phase, memory_mib) VALUES (?, ?, 1, 'Pending', 64)")
                .params(unbound, id).update();
        UUID running = deployments.bound(id, "term-ready", "Running");
        UUID finished = deployments.bound(id, "term-ready", "Succeeded");
        UUID onGoneNode = deployments.bound(id, "term-gone", "Running");
        UUID asked = deployments.bound(id, "term-ready", "Running");
        jdbc.sql("UPDATE replicas SET terminating = true WHERE id = ?").param(asked).update();

        tx.executeWithoutResult(s -> termination.terminateAll(List.of(unbound, running, finished, onGoneNode, asked)));

        assertThat(jdbc.sql("SELECT id FROM replicas WHERE deployment_id = ?").param(id).query(UUID.class).list())
                .containsExactlyInAnyOrder(running, asked);
        assertThat(jdbc.sql("SELECT terminating FROM replicas WHERE id = ?").param(running).query(Boolean.class).single()).isTrue();
        assertThat(changes(List.of(unbound, running, finished, onGoneNode, asked))).containsExactlyInAnyOrder(
                "modified " + running + " term-ready", "deleted " + finished + " term-ready", "deleted " + onGoneNode + " term-gone");
    }

    private List<String> changes(List<UUID> replicas) {
        return jdbc.sql("SELECT kind || ' ' || replica_id || ' ' || node_name FROM assignment_changes WHERE replica_id IN (:ids)")
                .param("ids", replicas).query(String.class).list();
    }
}
