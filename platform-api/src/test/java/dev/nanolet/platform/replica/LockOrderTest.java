package dev.nanolet.platform.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.ReplicaPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * One lock order (replica, then node): a status report waiting for a replica that the scheduler
 * holds must not hold the node the scheduler locks next. Before, the report locked the node first
 * and PostgreSQL had to break the deadlock by aborting one of them.
 */
@PlatformApiTest
class LockOrderTest {
    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired DataSource dataSource;

    private int waitingOnLocks() {
        return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .query(Integer.class).single();
    }

    @Test
    void aStatusReportWaitsForTheReplicaWithoutHoldingItsNode() throws Exception {
        TestApi api = new TestApi(port, json);
        api.register("lock-1", Map.of(), 4, 512);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        UUID replica = deployments.bound(deployments.create("default", "locked", TestDeployments.http("/locked", 1)), "lock-1", "Running");

        try (Connection scheduler = dataSource.getConnection()) {
            scheduler.setAutoCommit(false);
            try (PreparedStatement s = scheduler.prepareStatement("SET LOCAL lock_timeout = '20s'")) {
                s.execute();
            }
            try (PreparedStatement s = scheduler.prepareStatement("SELECT id FROM replicas WHERE id = ? FOR UPDATE")) {
                s.setObject(1, replica);
                s.executeQuery().close();
            }
            CompletableFuture<TestApi.Response> report = CompletableFuture.supplyAsync(
                    () -> api.report("lock-1", replica, ReplicaPhase.Running));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnLocks() >= 1);

            try (PreparedStatement s = scheduler.prepareStatement("SELECT name FROM nodes WHERE name = 'lock-1' FOR NO KEY UPDATE")) {
                s.executeQuery().close();
            }
            scheduler.commit();

            assertThat(report.get(20, TimeUnit.SECONDS).status()).isEqualTo(204);
        }
    }

    @Test
    void aPhaseReportDoesNotWaitForItsNodesRow() throws Exception {
        TestApi api = new TestApi(port, json);
        api.register("lock-2", Map.of(), 4, 512);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        UUID replica = deployments.bound(deployments.create("default", "unlocked", TestDeployments.http("/unlocked", 1)), "lock-2", "Scheduled");

        try (Connection scheduler = dataSource.getConnection()) {
            scheduler.setAutoCommit(false);
            try (PreparedStatement s = scheduler.prepareStatement("SELECT name FROM nodes WHERE name = 'lock-2' FOR NO KEY UPDATE")) {
                s.executeQuery().close(); // as the scheduler's batch or a lease renewal holds it
            }
            try {
                CompletableFuture<TestApi.Response> report = CompletableFuture.supplyAsync(
                        () -> api.report("lock-2", replica, ReplicaPhase.Pulling));
                assertThat(report.get(20, TimeUnit.SECONDS).status()).as("answered while the node's row is held").isEqualTo(204);
            } finally {
                scheduler.rollback();
            }
        }
        assertThat(jdbc.sql("SELECT phase FROM replicas WHERE id = ?").param(replica).query(String.class).single()).isEqualTo("Pulling");
    }
}
