package dev.nanolet.platform.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ControlPassTestBase;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestPropertySource;

/**
 * A deployment applied through the API is reconciled and bound by the instance that wrote it
 * ({@link Prompt}) even while the control loop is stuck in a round (here: held by a pass that waits),
 * and exactly once.
 */
@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.control.interval=1h",
        "nanolet.nodes.lease-duration=2m"})
class PromptTest extends ControlPassTestBase {
    private static final Duration QUICK = Duration.ofSeconds(30);

    @Autowired Stuck stuck;

    @AfterEach
    void release() {
        stuck.release();
    }

    @Test
    void anAppliedDeploymentIsBoundWhileTheLoopIsBusy() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        stuck.holdNextRound();
        api.register("pr-" + id, Map.of(), 10, 4096); // wakes the loop, whose round now waits
        await().atMost(QUICK).until(stuck::holding);

        long deployment = apply("pr-" + id, 2);

        await().atMost(QUICK).until(() -> bound(deployment) == 2);
        assertThat(stuck.holding()).as("the loop was still held while the replicas were bound").isTrue();
        assertThat(jdbc.sql("SELECT count(*) FROM assignment_changes c JOIN replicas r ON r.id = c.replica_id WHERE r.deployment_id = ? AND c.kind = 'added'")
                .param(deployment).query(Long.class).single()).isEqualTo(2);

        stuck.release();
        // the loop's own round for the deployment, after the prompt's, finds nothing more to do
        await().atMost(QUICK).until(() -> !stuck.holding());
        await().failFast("the loop's round changed the replicas", () -> deployments.replicas(deployment).size() != 2)
                .during(Duration.ofSeconds(1)).atMost(QUICK).until(() -> deployments.replicas(deployment).size() == 2);
    }

    @Test
    void aScaleUpThroughTheApiIsBoundWhileTheLoopIsBusy() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        api.register("ps-" + id, Map.of(), 10, 4096);
        long deployment = apply("ps-" + id, 1);
        await().atMost(QUICK).until(() -> bound(deployment) == 1);
        stuck.holdNextRound();
        api.register("ps2-" + id, Map.of("pool", "other"), 10, 4096);
        await().atMost(QUICK).until(stuck::holding);

        TestApi.Response r = api.admin("PUT", "/api/v1/namespaces/prompt/deployments/ps-" + id + "/scale", Map.of("replicas", 3));
        assertThat(r.status()).as(r.body()).isEqualTo(200);

        await().atMost(QUICK).until(() -> bound(deployment) == 3);
        assertThat(stuck.holding()).isTrue();
    }

    private long apply(String name, int replicas) {
        String module = jdbc.sql("INSERT INTO modules (digest, size, name, wasi) VALUES ('sha256:' || encode(sha256(?::bytea), 'hex'), 8, 't', true) RETURNING digest")
                .param(UUID.randomUUID().toString()).query(String.class).single();
        TestApi.Response r = api.admin("PUT", "/api/v1/namespaces/prompt/deployments/" + name,
                Map.of("module", module, "http", Map.of("path", "/" + name), "replicas", replicas));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return jdbc.sql("SELECT id FROM deployments WHERE namespace = 'prompt' AND name = ?").param(name).query(Long.class).single();
    }

    private long bound(long deployment) {
        return deployments.replicas(deployment).stream().filter(r -> r.nodeName() != null && !r.terminating()).count();
    }

    /** A pass before the deployment controller's that, once asked, holds the next round until released. */
    static final class Stuck implements ControlPass, Ordered {
        private final AtomicBoolean hold = new AtomicBoolean();
        private final AtomicBoolean holding = new AtomicBoolean();
        private volatile CountDownLatch released = new CountDownLatch(1);

        void holdNextRound() {
            released = new CountDownLatch(1);
            hold.set(true);
        }

        boolean holding() {
            return holding.get();
        }

        void release() {
            hold.set(false);
            released.countDown();
        }

        @Override
        public void run(Changes changes) {
            if (!hold.get()) {
                return;
            }
            holding.set(true);
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.set(false);
            }
        }

        @Override
        public int getOrder() {
            return ControlPass.DEPLOYMENTS - 5;
        }
    }

    @TestConfiguration
    static class Config {
        @Bean
        Stuck stuck() {
            return new Stuck();
        }
    }
}
