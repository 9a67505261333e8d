package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.ApiClient.unique;
import static dev.nanolet.platform.ApiClient.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Waiting for rollouts over real HTTP against real PostgreSQL. Replica rows are written here,
 * standing in for the controllers and node agents; the waiting request wakes on their NOTIFY.
 */
@PlatformApiTest
class RolloutWaitTest {
    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RolloutSignals signals;

    ApiClient api;
    String module;
    String other;
    String name;
    String path;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        module = upload(wasm("hello.wasm"));
        other = upload(unique(wasm("hello.wasm")));
        name = "w-" + UUID.randomUUID().toString().substring(0, 8);
        path = "/api/v1/namespaces/ci/deployments/" + name;
        jdbc.update("INSERT INTO nodes (name, capacity_instances, capacity_memory_mib, address) VALUES ('n1', 10, 1024, 'http://n1:8181') ON CONFLICT DO NOTHING");
    }

    String upload(byte[] wasm) {
        return api.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("application/wasm"), wasm, Map.of())
                .json().path("digest").asString();
    }

    String spec(String digest, int replicas, String extra) {
        return "{\"module\":\"" + digest + "\",\"http\":{\"path\":\"/" + name + "\"},\"replicas\":" + replicas + extra + "}";
    }

    CompletableFuture<Response> async(HttpMethod method, String url, String body) {
        return CompletableFuture.supplyAsync(() -> api.json(method, url, body), Executors.newVirtualThreadPerTaskExecutor());
    }

    int revision() {
        return jdbc.queryForObject("SELECT current_revision FROM deployments WHERE namespace = 'ci' AND name = ? AND deleted_at IS NULL",
                Integer.class, name);
    }

    void replica(int revision, String phase, String reason, String message) {
        long id = jdbc.queryForObject("SELECT id FROM deployments WHERE namespace = 'ci' AND name = ? AND deleted_at IS NULL", Long.class, name);
        jdbc.update("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, reason, message, restarts, memory_mib) "
                + "VALUES (?, ?, ?, 'n1', ?, ?, ?, 0, 64)", UUID.randomUUID(), id, revision, phase, reason, message);
    }

    boolean exists() {
        return jdbc.queryForObject("SELECT count(*) FROM deployments WHERE namespace = 'ci' AND name = ? AND deleted_at IS NULL",
                Integer.class, name) == 1;
    }

    @Test
    void applyWithWaitAnswersOnceTheNewRevisionIsAvailable() {
        CompletableFuture<Response> applying = async(HttpMethod.PUT, path + "?wait=true&timeout=60s", spec(module, 2, ""));
        await().atMost(Duration.ofSeconds(30)).until(this::exists);
        assertThat(applying).isNotDone();

        replica(1, "Running", null, null);
        replica(1, "Running", null, null);

        Response r = applying.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("status").path("available").asInt()).isEqualTo(2);
    }

    @Test
    void aWaitEndsOnceItsTokenIsRevokedWith401AndTheWriteKept() {
        Response created = api.json(HttpMethod.POST, "/api/v1/tokens",
                "{\"name\":\"" + name + "\",\"grants\":[{\"role\":\"deployer\",\"namespace\":\"ci\"}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ApiClient deployer = api.as(created.json().path("token").asString());
        CompletableFuture<Response> applying = CompletableFuture.supplyAsync(() -> deployer.json(HttpMethod.PUT,
                path + "?wait=true&timeout=60m&atomic=true", spec(module, 1, "")), Executors.newVirtualThreadPerTaskExecutor());
        await().atMost(Duration.ofSeconds(30)).until(() -> exists() || applying.isDone());
        assertThat(applying).as(() -> applying.join().body()).isNotDone();

        assertThat(api.delete("/api/v1/tokens/" + created.json().path("info").path("id").asString()).status()).isEqualTo(204);

        Response r = applying.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().getFirst("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.json().path("detail").asString()).contains("ci/" + name, "revoked", "stays written");
        assertThat(exists()).as("atomic undoes nothing for a revoked token").isTrue();
    }

    @Test
    void aReadsWaitEndsOnceItsTokenIsRevokedWith401SayingItChangedNothing() {
        assertThat(api.json(HttpMethod.PUT, path, spec(module, 1, "")).status()).isEqualTo(201);
        Response created = api.json(HttpMethod.POST, "/api/v1/tokens",
                "{\"name\":\"" + name + "\",\"grants\":[{\"role\":\"viewer\",\"namespace\":\"ci\"}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ApiClient viewer = api.as(created.json().path("token").asString());
        int waiting = waiters().size();
        CompletableFuture<Response> reading = CompletableFuture.supplyAsync(() -> viewer.get(path + "/rollout?timeout=60m"),
                Executors.newVirtualThreadPerTaskExecutor());
        await().atMost(Duration.ofSeconds(30)).until(() -> waiters().size() > waiting || reading.isDone());
        assertThat(reading).as(() -> reading.join().body()).isNotDone();

        assertThat(api.delete("/api/v1/tokens/" + created.json().path("info").path("id").asString()).status()).isEqualTo(204);

        Response r = reading.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.json().path("detail").asString()).isEqualTo("the wait for deployment ci/" + name + " (revision 1) ended: the"
                + " credential that asked for it was revoked or has expired; it was a read and changed nothing");
    }

    /** The waits registered for a wake-up now: a read leaves no other trace that it has passed the token check. */
    private java.util.Set<?> waiters() {
        return (java.util.Set<?>) org.springframework.test.util.ReflectionTestUtils.getField(signals, "waiters");
    }

    /** Revision 1 running, then an {@code atomic=true} apply of {@link #other} that is waiting for its revision 2. */
    CompletableFuture<Response> atomicApplyWaitingForRevision2() {
        assertThat(api.json(HttpMethod.PUT, path, spec(module, 1, "")).status()).isEqualTo(201);
        replica(1, "Running", null, null);
        CompletableFuture<Response> applying = async(HttpMethod.PUT, path + "?wait=true&timeout=60s&atomic=true", spec(other, 1, ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> revision() == 2);
        return applying;
    }

    @Test
    void aFailingRolloutAnswersTheReasonAndAtomicRollsBack() {
        CompletableFuture<Response> applying = atomicApplyWaitingForRevision2();
        replica(2, "CrashLoopBackOff", "Error", "exit code 3 (restarted 2 times)");

        Response r = applying.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.headers().getContentType().toString()).isEqualTo("application/problem+json");
        JsonNode problem = r.json();
        assertThat(problem.path("type").asString()).isEqualTo("https://nanolet.dev/problems/rollout-failed");
        assertThat(problem.path("reason").asString()).isEqualTo("ReplicaFailure");
        assertThat(problem.path("detail").asString()).contains("exit code 3");
        assertThat(problem.path("failingReplicas").get(0).path("reason").asString()).isEqualTo("Error");
        assertThat(problem.path("atomic").path("revision").asInt()).isEqualTo(3);

        JsonNode now = api.get(path).json();
        assertThat(now.path("revision").asInt()).isEqualTo(3);
        assertThat(now.path("spec").path("module").asString()).isEqualTo(module);
    }

    @Test
    void atomicDoesNotUndoOverAWriteAnotherClientMadeWhileItWaited() {
        CompletableFuture<Response> applying = atomicApplyWaitingForRevision2();
        jdbc.update("UPDATE deployments SET labels = '{\"by\": \"another-client\"}' WHERE namespace = 'ci' AND name = ? AND deleted_at IS NULL", name);
        String since = api.get(path).json().path("resourceVersion").asString();
        replica(2, "CrashLoopBackOff", "Error", "exit code 3 (restarted 2 times)");

        Response r = applying.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("atomic").path("action").asString())
                .isEqualTo("not undone: changed since by another write (resourceVersion " + since + ")");
        JsonNode now = api.get(path).json();
        assertThat(now.path("revision").asInt()).isEqualTo(2);
        assertThat(now.path("resourceVersion").asString()).isEqualTo(since);
    }

    @Test
    void aJobsWaitAnswersWhenItsRunSucceededNotWhileItRuns() {
        String job = "{\"module\":\"" + module + "\",\"job\":{},\"replicas\":1}";
        CompletableFuture<Response> applying = async(HttpMethod.PUT, path + "?wait=true&timeout=60s", job);
        await().atMost(Duration.ofSeconds(30)).until(this::exists);
        replica(1, "Running", null, null);
        await("the wait has seen the Running run").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                .until(() -> !applying.isDone());

        jdbc.update("UPDATE replicas SET phase = 'Succeeded' WHERE deployment_id = (SELECT id FROM deployments "
                + "WHERE namespace = 'ci' AND name = ? AND deleted_at IS NULL)", name);

        Response r = applying.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("status").path("conditions").get(1).path("reason").asString()).isEqualTo("RolloutComplete");
    }

    @Test
    void aJobRunThatFailsFailsTheWaitWithItsExitCode() {
        String job = "{\"module\":\"" + module + "\",\"job\":{\"restartPolicy\":\"Never\"},\"replicas\":1}";
        CompletableFuture<Response> applying = async(HttpMethod.PUT, path + "?wait=true&timeout=60s", job);
        await().atMost(Duration.ofSeconds(30)).until(this::exists);
        replica(1, "Failed", "ExitCode", "exit code 3");

        Response r = applying.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("reason").asString()).isEqualTo("ReplicaFailure");
        assertThat(r.json().path("detail").asString()).contains("Failed ExitCode: exit code 3");
    }

    @Test
    void atomicDeletesWhatTheApplyCreated() {
        Response r = api.json(HttpMethod.PUT, path + "?wait=true&timeout=100ms&atomic=true", spec(module, 1, ""));

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("reason").asString()).isEqualTo("Timeout");
        assertThat(exists()).isFalse();
    }

    @Test
    void aRolloutPastItsProgressDeadlineFailsWithThatReason() {
        Response r = api.json(HttpMethod.PUT, path + "?wait=true&timeout=60s", spec(module, 1, ",\"progressDeadlineSeconds\":1"));

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("reason").asString()).isEqualTo("ProgressDeadlineExceeded");
        JsonNode progressing = api.get(path).json().path("status").path("conditions").get(1);
        assertThat(progressing.path("status").asString()).isEqualTo("False");
        assertThat(progressing.path("reason").asString()).isEqualTo("ProgressDeadlineExceeded");
    }

    @Test
    void rolloutStatusWaitsAndRollbackWaitsToo() {
        assertThat(api.json(HttpMethod.PUT, path, spec(module, 1, "")).status()).isEqualTo(201);
        Response pending = api.get(path + "/rollout?timeout=0");
        assertThat(pending.status()).as(pending.body()).isEqualTo(422);
        assertThat(pending.json().path("reason").asString()).isEqualTo("Timeout");

        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> api.get(path + "/rollout?timeout=60s"),
                Executors.newVirtualThreadPerTaskExecutor());
        replica(1, "Running", null, null);
        assertThat(waiting.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join().status()).isEqualTo(200);

        assertThat(api.json(HttpMethod.PUT, path, spec(other, 1, "")).status()).isEqualTo(200);
        Response rollback = api.json(HttpMethod.POST, path + "/rollback?wait=true&timeout=100ms", "{\"revision\":1}");
        assertThat(rollback.status()).as(rollback.body()).isEqualTo(422);
        assertThat(rollback.json().path("deployment").path("revision").asInt()).isEqualTo(3);
    }

    @Test
    void dryRunValidatesAndChecksSchedulabilityWithoutWriting() {
        String zone = "z-" + UUID.randomUUID();
        Response nowhere = api.json(HttpMethod.PUT, path + "?dryRun=All", spec(module, 1, ",\"nodeSelector\":{\"zone\":\"" + zone + "\"}"));
        assertThat(nowhere.status()).as(nowhere.body()).isEqualTo(422);
        assertThat(nowhere.errorFields()).containsExactly("replicas");
        assertThat(nowhere.json().path("detail").asString()).contains("0 of 1 replicas would fit: no Ready node");

        jdbc.update("INSERT INTO nodes (name, labels, capacity_instances, capacity_memory_mib, address) "
                + "VALUES (?, ?::jsonb, 2, 1024, 'http://dry:8181')", zone, "{\"zone\":\"" + zone + "\"}");
        jdbc.update("INSERT INTO node_leases (node_name, renewed_at) VALUES (?, now())", zone);
        Response fits = api.json(HttpMethod.PUT, path + "?dryRun=All", spec(module, 2, ",\"nodeSelector\":{\"zone\":\"" + zone + "\"}"));
        assertThat(fits.status()).as("a create's dry run answers as the create: " + fits.body()).isEqualTo(201);
        assertThat(fits.json().path("generation").asInt()).isEqualTo(1);
        Response tooMany = api.json(HttpMethod.PUT, path + "?dryRun=All", spec(module, 3, ",\"nodeSelector\":{\"zone\":\"" + zone + "\"}"));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.json().path("detail").asString()).contains("2 of 3 replicas would fit");

        Response invalid = api.json(HttpMethod.PUT, path + "?dryRun=All", "{\"module\":\"nope\",\"replicas\":-1}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(exists()).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM events WHERE deployment = ?", Integer.class, name)).isZero();
    }

    @Test
    void badWaitOptionsAre400() {
        assertThat(api.json(HttpMethod.PUT, path + "?wait=true&timeout=soon", spec(module, 1, "")).status()).isEqualTo(400);
        assertThat(api.json(HttpMethod.PUT, path + "?atomic=true", spec(module, 1, "")).status()).isEqualTo(400);
        assertThat(api.json(HttpMethod.PUT, path + "?dryRun=Server", spec(module, 1, "")).status()).isEqualTo(400);
        assertThat(api.json(HttpMethod.PUT, path + "?wait=true&timeout=2h", spec(module, 1, "")).status()).isEqualTo(400);
        assertThat(exists()).isFalse();
    }

    /** The cap says {@code 1h}, so {@code 1h} is taken; past it, or not a whole number of a unit, is 400 as before. */
    @Test
    void aTimeoutInHoursIsReadUpToTheCap() {
        Response hour = api.json(HttpMethod.PUT, path + "?wait=true&timeout=1h&dryRun=All", spec(module, 0, ""));
        assertThat(hour.status()).as(hour.body()).isEqualTo(201);
        for (String over : List.of("2h", "9999999h", "61m")) {
            Response r = api.json(HttpMethod.PUT, path + "?wait=true&timeout=" + over, spec(module, 1, ""));
            assertThat(r.status()).as(over).isEqualTo(400);
            assertThat(r.json().path("detail").asString()).as(over).isEqualTo("timeout: must be at most 1h");
        }
        for (String bad : List.of("1e9h", "-1h", "1.5h", "h", "1hh", "12345678h")) {
            Response r = api.json(HttpMethod.PUT, path + "?wait=true&timeout=" + bad, spec(module, 1, ""));
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().path("detail").asString()).as(bad).isEqualTo("timeout: must be a duration such as 120s, 2m, 1h or 500ms");
        }
        assertThat(exists()).isFalse();
    }
}
