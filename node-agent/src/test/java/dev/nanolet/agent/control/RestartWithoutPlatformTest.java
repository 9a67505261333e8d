package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.replica.LocalReplica;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Static stability across a restart: an agent started while platform-api is down serves the
 * assignments saved before its last stop, and reconciles without restarts when the platform returns.
 */
class RestartWithoutPlatformTest {

    static {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(50));
    }

    private final FakePlatform platform = new FakePlatform();
    @TempDir
    Path cache;

    @AfterEach
    void close() {
        platform.close();
    }

    @Test
    void anAgentRestartedWhilePlatformIsDownServesTheSavedAssignments() throws Exception {
        Assignment kept = http("kept", "/kept");
        Assignment dropped = http("dropped", "/dropped");
        Assignment job = job();
        platform.put(kept);
        platform.put(dropped);
        platform.put(job);
        try (var first = agent()) {
            await().until(() -> platform.last(job.replicaId()) != null && platform.last(job.replicaId()).phase() == ReplicaPhase.Succeeded);
            await().untilAsserted(() -> get(first, "/kept").expectStatus().isOk());
            await().untilAsserted(() -> get(first, "/dropped").expectStatus().isOk());
        }
        assertThat(cache.resolve("assignments.json")).exists();
        Path credential = cache.resolve("node-credential.json");
        String issued = platform.credential("restarted");
        assertThat(Files.getPosixFilePermissions(credential)).as("only the agent's user reads its credential")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(credential).content().contains(issued);

        platform.down(true);
        platform.delete(dropped.replicaId());
        try (var second = agent()) {
            await().untilAsserted(() -> get(second, "/kept").expectStatus().isOk()
                    .expectBody(String.class).value(b -> assertThat(b).contains("Hello")));
            get(second, "/dropped").expectStatus().isOk();
            assertThat(second.getBean(Replicas.class).find(job.replicaId())).as("a job that may have finished waits for the platform").isEmpty();
            LocalReplica before = second.getBean(Replicas.class).find(kept.replicaId()).orElseThrow();
            int connections = platform.watchConnections.get();

            platform.down(false);
            await().until(() -> platform.watchConnections.get() > connections);
            await().untilAsserted(() -> get(second, "/dropped").expectStatus().isNotFound());
            get(second, "/kept").expectStatus().isOk();
            assertThat(second.getBean(Replicas.class).find(kept.replicaId())).containsSame(before);
            assertThat(platform.registrationTokens).as("the restarted agent registers with its kept credential, not the bootstrap token")
                    .containsExactly("Bearer " + FakePlatform.TOKEN, "Bearer " + issued);
            assertThat(platform.credential("restarted")).isEqualTo(issued);
        }
    }

    @Test
    void withoutSavedAssignmentsAnAgentStartsEmptyAndKeepsTrying() throws Exception {
        platform.down(true);
        try (var agent = agent()) {
            int attempts = platform.watchAttempts.get();
            get(agent, "/anything").expectStatus().isNotFound();
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).until(() -> Files.notExists(cache.resolve("assignments.json")));
            platform.down(false);
            await().until(() -> platform.watchAttempts.get() > attempts && !platform.registrations.isEmpty());
            await().until(() -> Files.exists(cache.resolve("assignments.json")));
        }
    }

    /**
     * Stop then start in one JVM (Spring's test context cache pauses a cached agent context this way):
     * the agent resumes as after a fresh start, serving its saved http replicas while the platform is
     * down, then taking new work from it.
     */
    @Test
    void aStoppedAgentStartedAgainServesAndTakesWork() throws Exception {
        Assignment served = http("paused", "/paused");
        platform.put(served);
        try (var agent = agent()) {
            await().untilAsserted(() -> get(agent, "/paused").expectStatus().isOk());
            agent.stop();
            assertThat(platform.last(served.replicaId()).phase()).isEqualTo(ReplicaPhase.Terminating);

            platform.down(true);
            agent.start();
            await().untilAsserted(() -> get(agent, "/paused").expectStatus().isOk());

            platform.down(false);
            Assignment job = job();
            platform.put(job);
            await().until(() -> platform.last(job.replicaId()) != null && platform.last(job.replicaId()).phase() == ReplicaPhase.Succeeded);
            await().until(() -> platform.last(served.replicaId()).phase() == ReplicaPhase.Running);
        }
    }

    private ConfigurableApplicationContext agent() {
        return StandaloneAgent.start(platform, "restarted", cache);
    }

    private static WebTestClient.ResponseSpec get(ConfigurableApplicationContext agent, String path) {
        return StandaloneAgent.get(agent, path);
    }

    private Assignment job() {
        byte[] bytes = Fixtures.bytes("job.wasm");
        String digest = Fixtures.digest(bytes);
        platform.modules.put(digest, bytes);
        var spec = new DeploymentSpec(digest, null, new DeploymentSpec.JobSpec(DeploymentSpec.RestartPolicy.Never), 1, List.of("0"), Map.of(), null, null);
        return new Assignment(UUID.randomUUID(), "default", "done", 1, digest, bytes.length, spec, false);
    }

    private Assignment http(String deployment, String path) {
        byte[] bytes = Fixtures.bytes("hello.wasm");
        String digest = Fixtures.digest(bytes);
        platform.modules.put(digest, bytes);
        var spec = new DeploymentSpec(digest, new DeploymentSpec.HttpSpec(path), null, 1, null, Map.of(), null, null);
        return new Assignment(UUID.randomUUID(), "default", deployment, 1, digest, bytes.length, spec, false);
    }
}
