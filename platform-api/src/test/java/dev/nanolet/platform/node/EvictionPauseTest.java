package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SecondInstance;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.wire.EvictionStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

/**
 * Two platform-api instances on one database see every node NotReady, pause evictions, and resume them when the node
 * renews: the platform records one {@code EvictionsPaused} and one {@code EvictionsResumed}, not one per instance, and
 * {@code GET /api/v1/evictions} answers the state from either instance.
 */
@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.nodes.lease-duration=5s",
        "nanolet.control.interval=200ms"})
class EvictionPauseTest extends TestApiBase {
    static final String[] SETTINGS = {"--nanolet.control.enabled=true", "--nanolet.nodes.lease-duration=5s",
            "--nanolet.control.interval=200ms"};
    /** Ten passes of each instance at least. */
    static final Duration BOTH_PASSED = Duration.ofSeconds(2);

    @Autowired Environment environment;
    @Autowired NodeLeases leases;

    @Test
    void thePauseAndTheResumeAreRecordedOnceByTwoInstances() {
        try (ConfigurableApplicationContext second = SecondInstance.start(environment, SETTINGS)) {
            var other = api.at(SecondInstance.port(second));
            assertThat(api.get("/api/v1/evictions", EvictionStatus.class)).as("no node: nothing to evict, no pause")
                    .isEqualTo(new EvictionStatus(false, 0, 0));
            assertThat(leases.lastRenewal()).as("no node: no last renewal, which the eviction pass returns on").isEmpty();
            api.register("pause-1", Map.of(), 10, 4096);
            jdbc.sql("UPDATE node_leases SET renewed_at = now() - interval '1 hour' WHERE node_name = 'pause-1'").update(); // its lease out

            await().atMost(Duration.ofSeconds(20)).until(() -> events("EvictionsPaused") == 1);
            await().during(BOTH_PASSED).atMost(Duration.ofSeconds(30)).until(() -> events("EvictionsPaused") == 1);
            assertThat(other.get("/api/v1/evictions", EvictionStatus.class)).isEqualTo(new EvictionStatus(true, 1, 0));
            assertThat(jdbc.sql("SELECT type || ' ' || message FROM events WHERE reason = 'EvictionsPaused'").query(String.class).single())
                    .isEqualTo("Warning no registered node is Ready (1 NotReady): the cause is likely on the platform's side (its "
                            + "network, its database, a pause of its own) and no node could take the replicas; NotReady nodes "
                            + "keep them until a node is Ready again");

            assertThat(api.node("PUT", "/api/v1/nodes/pause-1/lease", null).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> events("EvictionsResumed") == 1);
            await().during(BOTH_PASSED).atMost(Duration.ofSeconds(30)).until(() -> {
                assertThat(api.node("PUT", "/api/v1/nodes/pause-1/lease", null).status()).isEqualTo(200);
                return events("EvictionsResumed") == 1;
            });
            assertThat(other.get("/api/v1/evictions", EvictionStatus.class)).isEqualTo(new EvictionStatus(false, 1, 1));
            assertThat(events("EvictionsPaused")).as("the pause, still once").isEqualTo(1);
            assertThat(jdbc.sql("SELECT DISTINCT object FROM events WHERE reason LIKE 'Evictions%'").query(String.class).list())
                    .containsExactly("platform/evictions");
            assertThat(api.admin("DELETE", "/api/v1/nodes/pause-1", null).status()).as("no pause left behind for other tests")
                    .isEqualTo(204);
        }
    }

    /** How many times the platform recorded the event: its rows, and the repeats folded into them. */
    private int events(String reason) {
        return jdbc.sql("SELECT coalesce(sum(count), 0) FROM events WHERE reason = ?").param(reason).query(Integer.class).single();
    }
}
