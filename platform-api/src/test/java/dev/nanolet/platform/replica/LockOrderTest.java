package dev.nanolet.platform.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.ReplicaPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One lock order (replica, then node): a status report waiting for a replica that the scheduler
 * holds must not hold the node the scheduler locks next. Before, the report locked the node first
 * and PostgreSQL had to break the deadlock by aborting one of them.
 */
@PlatformApiTest
class LockOrderTest extends TestApiBase {
    @Autowired DataSource dataSource;

    private int waitingOnLocks() {
        return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .query(Integer.class).single();
    }

    private static void run(Connection tx, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.execute();
        }
    }

    /** A node {@code node} with one replica of a new deployment {@code name} bound to it in {@code phase}. */
    private UUID replicaOn(TestApi api, String node, String name, String phase) {
        api.register(node, Map.of(), 4, 512);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        return deployments.bound(deployments.create("default", name, TestDeployments.http("/" + name, 1)), node, phase);
    }

    @Test
    void aStatusReportWaitsForTheReplicaWithoutHoldingItsNode() throws Exception {
        UUID replica = replicaOn(api, "lock-1", "locked", "Running");

        try (Connection scheduler = dataSource.getConnection()) {
            scheduler.setAutoCommit(false);
            run(scheduler, "SET LOCAL lock_timeout = '20s'");
            run(scheduler, "SELECT id FROM replicas WHERE id = ? FOR UPDATE", replica);
            CompletableFuture<TestApi.Response> report = CompletableFuture.supplyAsync(
                    () -> api.report("lock-1", replica, ReplicaPhase.Running));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnLocks() >= 1);

            run(scheduler, "SELECT name FROM nodes WHERE name = 'lock-1' FOR NO KEY UPDATE");
            scheduler.commit();

            assertThat(report.get(20, TimeUnit.SECONDS).status()).isEqualTo(204);
        }
    }

    @Test
    void aPhaseReportDoesNotWaitForItsNodesRow() throws Exception {
        UUID replica = replicaOn(api, "lock-2", "unlocked", "Scheduled");

        try (Connection renewal = dataSource.getConnection()) {
            renewal.setAutoCommit(false); // rolled back when the connection goes back to the pool
            run(renewal, "SELECT name FROM nodes WHERE name = 'lock-2' FOR NO KEY UPDATE"); // as the scheduler or a lease renewal holds it
            assertThat(CompletableFuture.supplyAsync(() -> api.report("lock-2", replica, ReplicaPhase.Pulling)).get(20, TimeUnit.SECONDS).status())
                    .as("answered while the node's row is held").isEqualTo(204);
        }
        assertThat(jdbc.sql("SELECT phase FROM replicas WHERE id = ?").param(replica).query(String.class).single()).isEqualTo("Pulling");
    }

    @Test
    void aLeaseRenewalDoesNotWaitForItsNodesRow() throws Exception {
        replicaOn(api, "lock-3", "renewing", "Running");
        jdbc.sql("UPDATE node_leases SET renewed_at = now() - interval '10 seconds' WHERE node_name = 'lock-3'").update();

        try (Connection scheduler = dataSource.getConnection()) {
            scheduler.setAutoCommit(false); // rolled back when the connection goes back to the pool
            run(scheduler, "SELECT name FROM nodes WHERE name = 'lock-3' FOR NO KEY UPDATE"); // as the scheduler's batch holds it
            CompletableFuture<TestApi.Response> renewal = CompletableFuture.supplyAsync(
                    () -> api.node("PUT", "/api/v1/nodes/lock-3/lease", null));
            await().atMost(Duration.ofSeconds(20)).until(renewal::isDone);

            TestApi.Response answer = renewal.get();
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"ready\":true");
            assertThat(jdbc.sql("SELECT renewed_at > now() - interval '5 seconds' FROM node_leases WHERE node_name = 'lock-3'")
                    .query(Boolean.class).single()).as("renewed, committed while the node's row is held").isTrue();
        }
    }
}
