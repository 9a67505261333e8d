package dev.nanolet.platform.wakeup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nanolet_control} names the deployment whose state changed, and only for changes its
 * controller acts on (V18): a replica on its way (Scheduled → Pulling → Starting) wakes nobody,
 * one that becomes Running, fails, is asked to stop, is created or goes does. The control loop is
 * off here, so only the test's own writes notify.
 */
@PlatformApiTest
class ControlWakeupTest {
    @Autowired PgNotifications notifications;
    @Autowired JdbcClient jdbc;
    @Autowired JsonMapper json;
    @LocalServerPort int port;

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final String node = "wake-" + UUID.randomUUID().toString().substring(0, 8);
    private TestDeployments deployments;

    @BeforeEach
    void listen() {
        notifications.subscribe(PgNotifications.CONTROL, p -> received.add(String.valueOf(p)));
        deployments = new TestDeployments(jdbc, json);
        new TestApi(port, json).register(node, Map.of(), 10, 4096);
    }

    @Test
    void aReplicaOnItsWayWakesNobodyAndOneThatBecomesRunningNamesItsDeployment() {
        long id = deployments.create("default", "wake", TestDeployments.http("/wake", 1));
        String payload = "deployment:" + id;
        await().until(() -> received.contains(payload));
        UUID replica = deployments.bound(id, node, "Scheduled");
        await().until(() -> received.stream().filter(payload::equals).count() == 2);
        received.clear();

        phase(replica, "Pulling");
        phase(replica, "Starting");
        jdbc.sql("UPDATE replicas SET reason = 'x', message = 'y', restarts = 1, updated_at = now() WHERE id = ?").param(replica).update();
        sentinel();
        assertThat(received).as("nothing but the sentinel").containsExactly("sentinel");

        phase(replica, "Running");
        await().until(() -> received.contains(payload));
        received.clear();

        jdbc.sql("UPDATE replicas SET terminating = true WHERE id = ?").param(replica).update();
        await().until(() -> received.contains(payload));
        received.clear();

        jdbc.sql("DELETE FROM replicas WHERE id = ?").param(replica).update();
        await().until(() -> received.contains(payload));
    }

    @Test
    void oneStatementOverManyReplicasOfTwoDeploymentsSendsOnePayloadPerDeployment() {
        long a = deployments.create("default", "many-a", TestDeployments.http("/many-a", 3));
        long b = deployments.create("default", "many-b", TestDeployments.http("/many-b", 3));
        for (int i = 0; i < 3; i++) {
            deployments.bound(a, node, "Starting");
            deployments.bound(b, node, "Starting");
        }
        sentinel();
        await().until(() -> received.contains("sentinel"));
        received.clear();

        jdbc.sql("UPDATE replicas SET phase = 'Running' WHERE deployment_id IN (?, ?)").params(a, b).update();
        sentinel();

        await().until(() -> received.contains("sentinel"));
        assertThat(received).containsExactlyInAnyOrder("deployment:" + a, "deployment:" + b, "sentinel");
    }

    private void phase(UUID replica, String phase) {
        jdbc.sql("UPDATE replicas SET phase = ? WHERE id = ?").params(phase, replica).update();
    }

    /** A notification after the writes before it: once it arrived, theirs would have too (one connection, in commit order). */
    private void sentinel() {
        jdbc.sql("SELECT pg_notify('nanolet_control', 'sentinel')").query().singleRow();
        await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("sentinel"));
    }
}
