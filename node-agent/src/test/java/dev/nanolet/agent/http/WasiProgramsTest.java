package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.agent.FakePlatform;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real WASI programs (examples/sqlite, examples/wasi/walk) as jobs and as CGI handlers on a node.
 * Deployments cannot grant directories yet (DeploymentSpec has none), so SQLite works on
 * {@code :memory:} here; its file in a granted directory is proven by the runtime contract and
 * by {@code run --dir}.
 */
class WasiProgramsTest extends AgentTestBase {

    /** SQLite's module is large: compiling it takes seconds on a busy machine. */
    private static final Duration COMPILE = Duration.ofMinutes(3);

    private static final Assignment sqliteCgi = http("sqlite", "/sqlite", "sqlite/sqlite-demo.wasm", null);
    private static final Assignment walkCgi = http("walk", "/walk", "wasi/walk.wasm", null);
    private static final List<Assignment> mine = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void deploy() {
        put(sqliteCgi);
        put(walkCgi);
    }

    /** The platform is shared by every test class: leave no large module for a later context to compile. */
    @AfterAll
    static void undeploy() {
        mine.forEach(a -> platform.delete(a.replicaId()));
    }

    private static void put(Assignment a) {
        mine.add(a);
        platform.put(a);
    }

    @Test
    void sqliteRunsAsAJob() {
        Assignment job = job("sqlite/sqlite-demo.wasm", Map.of(), ":memory:", "from a job");
        put(job);

        awaitPhase(job, ReplicaPhase.Succeeded);
        assertThat(logs(job)).contains("\"line\":\"1|from a job\"", "\"line\":\"rows=1 reopened=1 sqlite=3.");
    }

    @Test
    void sqliteAnswersAsACgiHandler() {
        assertThat(post(sqliteCgi, "/sqlite", "from a request")).startsWith("1|from a request\nrows=1 reopened=1 sqlite=3.");
    }

    @Test
    void aPosixProgramRunsAsAJobWithItsEnvironmentClocksAndRandom() {
        Assignment job = job("wasi/walk.wasm", Map.of("GREETING", "from the spec"));
        put(job);

        awaitPhase(job, ReplicaPhase.Succeeded);
        assertThat(logs(job)).contains("\"line\":\"stdin 0 811c9dc5\"", "\"line\":\"cannot open /data\"",
                "\"line\":\"clocks ok\"", "\"line\":\"random ok\"", "\"line\":\"env GREETING=from the spec\"");
    }

    @Test
    void aPosixProgramAnswersAsACgiHandlerReadingTheBodyToEof() {
        assertThat(post(walkCgi, "/walk", "abc")).isEqualTo("stdin 3 1a47e90b\ncannot open /data\nclocks ok\nrandom ok\nenv GREETING=hi\n");
    }

    /** Once the handler runs, POSTs {@code body} to {@code path} and answers the 200's body. */
    private String post(Assignment handler, String path, String body) {
        awaitPhase(handler, ReplicaPhase.Running);
        return client().post().uri(path).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private static Assignment job(String example, Map<String, String> env, String... args) {
        String digest = module(example);
        var spec = new DeploymentSpec(digest, null, new DeploymentSpec.JobSpec(RestartPolicy.Never), 1, List.of(args), env,
                null, null);
        return new Assignment(UUID.randomUUID(), "default", "job-" + UUID.randomUUID().toString().substring(0, 8), 1, digest,
                0, spec, false);
    }

    private static void awaitPhase(Assignment a, ReplicaPhase phase) {
        await().atMost(COMPILE).until(() -> platform.last(a.replicaId()) != null && platform.last(a.replicaId()).phase() == phase);
    }

    private String logs(Assignment job) {
        return client().get().uri("/_nanolet/v1/replicas/{id}/logs?tail=50&follow=false", job.replicaId())
                .header("Authorization", "Bearer " + FakePlatform.TOKEN)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }
}
