package dev.nanolet.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SecondInstance;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** Two platform-api instances on one database create and bind 1,000 replicas onto 20 nodes. */
@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.nodes.lease-duration=5m"})
class TwoInstancesScaleTest {
    private static final int NODES = 20;
    private static final int DEPLOYMENTS = 10;
    private static final int REPLICAS_EACH = 100;
    private static final int CAPACITY = 60;

    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired Environment environment;

    @Test
    void everyReplicaIsBoundExactlyOnceWithinCapacity() {
        try (ConfigurableApplicationContext second = SecondInstance.start(environment,
                "--nanolet.control.enabled=true", "--nanolet.nodes.lease-duration=5m")) {
            TestApi api = new TestApi(port, json);
            TestApi otherApi = new TestApi(SecondInstance.port(second), json);
            for (int i = 0; i < NODES; i++) {
                (i % 2 == 0 ? api : otherApi).register("scale-" + i, Map.of(), CAPACITY, CAPACITY * 64);
            }
            TestDeployments deployments = new TestDeployments(jdbc, json);
            for (int d = 0; d < DEPLOYMENTS; d++) {
                deployments.create("scale", "d" + d, TestDeployments.http("/d" + d, REPLICAS_EACH));
            }

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> count("SELECT count(*) FROM replicas WHERE node_name IS NOT NULL"), n -> n == DEPLOYMENTS * REPLICAS_EACH);

            assertThat(count("SELECT count(*) FROM replicas")).isEqualTo(DEPLOYMENTS * REPLICAS_EACH);
            assertThat(count("SELECT count(*) FROM assignment_changes WHERE kind = 'added'")).isEqualTo(DEPLOYMENTS * REPLICAS_EACH);
            assertThat(count("SELECT count(DISTINCT replica_id) FROM assignment_changes WHERE kind = 'added'")).isEqualTo(DEPLOYMENTS * REPLICAS_EACH);
            assertThat(count("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM replicas GROUP BY node_name) c")).isLessThanOrEqualTo(CAPACITY);
            assertThat(count("""
                    SELECT count(*) FROM replicas r JOIN assignment_changes c ON c.replica_id = r.id AND c.kind = 'added'
                    WHERE c.node_name <> r.node_name""")).isZero();
        }
    }

    private int count(String sql) {
        return jdbc.sql(sql).query(Integer.class).single();
    }
}
