package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
import dev.nanolet.wire.DeploymentSpec.Volume;
import dev.nanolet.wire.ReplicaPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Real WASI programs (examples/sqlite, examples/wasi/walk) as jobs and as CGI handlers on a node, with
 * a volume ({@code spec.volumes}) granted at {@code /data}: the node makes it under its data directory,
 * keeps it across the replica's requests and runs, and removes it with the replica.
 */
class WasiProgramsTest extends AgentTestBase {

    /** SQLite's module is large: compiling it takes seconds on a busy machine. */
    private static final Duration COMPILE = Duration.ofMinutes(3);
    private static final List<Volume> DATA = List.of(new Volume("data", "/data"));
    private static final List<Assignment> mine = new CopyOnWriteArrayList<>();

    /** The platform is shared by every test class: leave no large module for a later context to compile. */
    @AfterAll
    static void undeploy() {
        mine.forEach(a -> platform.delete(a.replicaId()));
    }

    @Test
    void sqliteAsACgiHandlerKeepsItsDatabaseInItsVolumeUntilTheReplicaIsRemoved() throws IOException {
        Assignment handler = put(assignment("sqlite/sqlite-demo.wasm", new DeploymentSpec.HttpSpec("/notes"), null,
                Map.of("SQLITE_DB", "/data/notes.db")));

        awaitPhase(handler, ReplicaPhase.Running);
        assertThat(post("/notes", "first")).startsWith("1|first\nrows=1 reopened=1 sqlite=3.");
        assertThat(post("/notes", "second")).startsWith("1|first\n2|second\nrows=2 reopened=2 sqlite=3.");

        Path volume = volume(handler);
        assertThat(volume.resolve("notes.db")).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volume))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volume.getParent()))).isEqualTo("rwx------");
        platform.delete(handler.replicaId());
        await().until(() -> Files.notExists(volume.getParent()));
    }

    @Test
    void sqliteAsAJobReopensItsDatabaseInALaterRunOfTheSameReplica() {
        Assignment first = put(assignment("sqlite/sqlite-demo.wasm", null, List.of("/data/notes.db", "first run"), Map.of()));
        awaitPhase(first, ReplicaPhase.Succeeded);
        assertThat(logs(first)).contains("\"line\":\"1|first run\"", "\"line\":\"rows=1 reopened=1 sqlite=3.");

        var again = new DeploymentSpec(first.moduleDigest(), null, first.spec().job(), 1, List.of("/data/notes.db", "second run"),
                Map.of(), null, null, null, null, DATA);
        Assignment second = put(new Assignment(first.replicaId(), "default", first.deployment(), 2, first.moduleDigest(), 0, again, false));
        await().atMost(COMPILE).until(() -> logs(second).contains("rows=2 reopened=2"));
        assertThat(logs(second)).contains("\"line\":\"2|second run\"");
        assertThat(volume(first).resolve("notes.db")).isRegularFile();
    }

    @Test
    void aPosixProgramRunsAsAJobWithItsEnvironmentClocksRandomAndAnEmptyVolume() {
        Assignment job = put(assignment("wasi/walk.wasm", null, List.of(), Map.of("GREETING", "from the spec")));

        awaitPhase(job, ReplicaPhase.Succeeded);
        assertThat(logs(job)).contains("\"line\":\"stdin 0 811c9dc5\"", "\"line\":\"clocks ok\"", "\"line\":\"random ok\"",
                "\"line\":\"env GREETING=from the spec\"").doesNotContain("cannot open");
    }

    @Test
    void aPosixProgramAsACgiHandlerReadsTheBodyToEofAndWalksItsVolume() throws IOException {
        Assignment handler = put(assignment("wasi/walk.wasm", new DeploymentSpec.HttpSpec("/walk"), null, Map.of("GREETING", "hi")));
        awaitPhase(handler, ReplicaPhase.Running);
        Path volume = volume(handler);
        Files.createDirectories(volume.resolve("a/b"));
        Files.writeString(volume.resolve("a/b/c.txt"), "hello");
        Files.writeString(volume.resolve("top"), "x");

        assertThat(post("/walk", "abc")).isEqualTo("stdin 3 1a47e90b\nd a\nd a/b\nf a/b/c.txt 5\nf top 1\nclocks ok\nrandom ok\nenv GREETING=hi\n");
    }

    private static Assignment assignment(String example, DeploymentSpec.HttpSpec http, List<String> args, Map<String, String> env) {
        String digest = module(example);
        var job = http == null ? new DeploymentSpec.JobSpec(RestartPolicy.Never) : null;
        var spec = new DeploymentSpec(digest, http, job, 1, args, env, null, null, null, null, DATA);
        return new Assignment(UUID.randomUUID(), "default", "wasi-" + UUID.randomUUID().toString().substring(0, 8), 1, digest, 0,
                spec, false);
    }

    private static Assignment put(Assignment a) {
        mine.add(a);
        platform.put(a);
        return a;
    }

    private static Path volume(Assignment a) {
        return cache.resolve("volumes").resolve(a.replicaId().toString()).resolve("data");
    }

    /** POSTs {@code body} to {@code path} (a handler that runs) and answers the 200's body. */
    private String post(String path, String body) {
        return client().post().uri(path).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private static void awaitPhase(Assignment a, ReplicaPhase phase) {
        await().atMost(COMPILE).until(() -> platform.last(a.replicaId()) != null && platform.last(a.replicaId()).phase() == phase);
    }

    private String logs(Assignment job) {
        return client().get().uri("/_nanolet/v1/replicas/{id}/logs?tail=50&follow=false", job.replicaId())
                .header("Authorization", "Bearer " + platform.logsToken("n1"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }
}
