package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.testsupport.AppDatabase;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ResolvedSecrets;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The todo example (examples/bindings/todo.c) served over real HTTP, bound to its own PostgreSQL that
 * the test stops and starts ({@link AppDatabase}: the nanolet/postgres:17 container when Docker
 * answers, else a gated database on the shared server).
 */
class BindingsDataPlaneTest extends AgentTestBase {

    static final AppDatabase db = AppDatabase.start();
    static final List<DeploymentSpec.Binding> DB = List.of(new DeploymentSpec.Binding("db", "postgres", "todo-db"));
    static final Assignment todo = bound("todo", "/todos", "bindings/todo.wasm", DB);
    /** The probe imports kv functions too; its deployment declares only a postgres binding. */
    static final Assignment undeclared = bound("probe", "/probe", "bindings/probe.wasm", DB);
    static final Assignment hello = http("hello-beside-db", "/beside", "hello.wasm", null);
    /** The todo example with a 1 s deadline, for the frozen database. */
    static final Assignment quick = bound("todo-quick", "/quick", "bindings/todo.wasm", DB, 1_000);

    static {
        List.of(todo, undeclared, hello, quick).forEach(platform::put);
    }

    @Autowired
    MeterRegistry registry;

    static Assignment bound(String deployment, String path, String example, List<DeploymentSpec.Binding> bindings) {
        return bound(deployment, path, example, bindings, 15_000);
    }

    static Assignment bound(String deployment, String path, String example, List<DeploymentSpec.Binding> bindings, int timeoutMillis) {
        String digest = module(example);
        var spec = new DeploymentSpec(digest, new DeploymentSpec.HttpSpec(path), null, 1, null, Map.of(),
                new DeploymentSpec.Limits(32, timeoutMillis, 4), null, null, bindings, null);
        return new Assignment(UUID.randomUUID(), "default", deployment, 1, digest, 0, spec, false,
                new ResolvedSecrets(Map.of(), Map.of("db", db.secretValues())));
    }

    @AfterAll
    static void stopDatabase() {
        List.of(todo, undeclared, hello, quick).forEach(a -> platform.delete(a.replicaId()));
        db.close();
    }

    /**
     * The replicas run and the todo API reaches its database. Until its pool holds a connection, a request
     * may rightly answer 503 (no connection within the connect timeout): on a loaded machine the first
     * connection to a container that has just started took longer than that. What the tests assert comes
     * after the database answers, so they wait for it here instead of racing the first connection.
     */
    @BeforeEach
    void running() {
        awaitPhase(todo.replicaId(), ReplicaPhase.Running);
        awaitPhase(hello.replicaId(), ReplicaPhase.Running);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client().get().uri("/todos/").exchange()
                .expectStatus().isOk().expectBody(Void.class));
    }

    @Test
    void theTodoApiCreatesListsUpdatesAndDeletes() {
        String created = client().post().uri("/todos/").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"write docs\"}")
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        assertThat(created).matches("\\{\"id\":\\d+,\"title\":\"write docs\",\"done\":false}\\n");
        String id = created.replaceAll("\\D*(\\d+).*\\s*", "$1");
        client().put().uri("/todos/" + id).bodyValue("{\"done\":true}").exchange().expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"id\":" + id + ",\"title\":\"write docs\",\"done\":true}\n");
        client().get().uri("/todos/").exchange().expectStatus().isOk()
                .expectBody(String.class).value(b -> assertThat(b).contains("{\"id\":" + id + ",\"title\":\"write docs\",\"done\":true}"));
        client().post().uri("/todos/").bodyValue("{not json").exchange().expectStatus().isBadRequest().expectBody(Void.class);
        client().delete().uri("/todos/" + id).exchange().expectStatus().isNoContent().expectBody(Void.class);
        client().get().uri("/todos/" + id).exchange().expectStatus().isNotFound().expectBody(Void.class);
    }

    @Test
    void aTrapAfterTheInsertLeavesNoHalfWrittenTodo() {
        String title = "half-" + UUID.randomUUID();
        client().post().uri("/todos/?trap=1").bodyValue("{\"title\":\"" + title + "\"}").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR).expectBody(Void.class);
        client().get().uri("/todos/").exchange().expectStatus().isOk()
                .expectBody(String.class).value(b -> assertThat(b).doesNotContain(title));
    }

    @Test
    void aJobRunIsOneTransactionCommittedWhenItSucceedsAndRolledBackWhenItTraps() throws Exception {
        Assignment ok = kvJob("kv-job", "op=kv_set&b=kv&key=from-job");
        Assignment trapped = kvJob("kv-job-trap", "op=kv_set&b=kv&key=from-trapped-job&then=trap");
        platform.put(ok);
        platform.put(trapped);
        awaitPhase(ok.replicaId(), ReplicaPhase.Succeeded);
        awaitPhase(trapped.replicaId(), ReplicaPhase.Failed);
        try (var c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password());
                var rs = c.createStatement().executeQuery("select string_agg(key, ',' order by key) from nanolet_kv where key like 'from-%'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("from-job");
        }
        List.of(ok, trapped).forEach(a -> platform.delete(a.replicaId()));
    }

    /** The probe as a job: what it does comes from QUERY_STRING in its env (a job has no request). */
    static Assignment kvJob(String deployment, String query) {
        String digest = module("bindings/probe.wasm");
        var spec = new DeploymentSpec(digest, null, new DeploymentSpec.JobSpec(DeploymentSpec.RestartPolicy.Never), 1, null,
                Map.of("QUERY_STRING", query), null, null, null, List.of(new DeploymentSpec.Binding("db", "postgres", "todo-db"),
                        new DeploymentSpec.Binding("kv", "kv", "todo-db")), null);
        return new Assignment(UUID.randomUUID(), "default", deployment, 1, digest, 0, spec, false,
                new ResolvedSecrets(Map.of(), Map.of("db", db.secretValues(), "kv", db.secretValues())));
    }

    @Test
    void aModuleImportingABindingTypeItDidNotDeclareFailsAtStart() {
        awaitPhase(undeclared.replicaId(), ReplicaPhase.Failed);
        assertThat(platform.last(undeclared.replicaId()).reason()).isEqualTo("InvalidBinding");
        assertThat(platform.last(undeclared.replicaId()).message())
                .isEqualTo("the module imports the nanolet kv functions, but the deployment declares no kv binding (spec.bindings; docs/bindings.md)");
    }

    @Test
    void aStoppedDatabaseIs503WithTheReasonOtherRoutesAnswerAndItWorksAgainWhenBack() {
        client().get().uri("/todos/").exchange().expectStatus().isOk().expectBody(Void.class);
        db.stop();
        try {
            client().get().uri("/todos/").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectBody(String.class).value(b -> assertThat(b).contains("binding 'db': the database is unavailable")
                            .doesNotContain("Exception", "127.0.0.1"));
            client().get().uri("/beside").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("Hello from Wasm\n");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reported()).isNotNull()
                    .satisfies(b -> assertThat(b.unavailable()).startsWith("binding 'db': the database is unavailable (")));
        } finally {
            db.resume();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client().post().uri("/todos/").bodyValue("{\"title\":\"back\"}")
                .exchange().expectStatus().isCreated().expectBody(Void.class));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reported().unavailable()).isNull());
        assertThat(reported().poolWaits()).isPositive();
    }

    /**
     * A database that stops answering without closing anything (paused: stuck on its disk, behind a link
     * that drops packets) cannot take the cancel sent at a run's deadline. Its runs must still end in
     * time: the guest pool writes off no thread, and the pool gets its connections back while the
     * database is still frozen, not when TCP gives up.
     */
    @Test
    void aFrozenDatabaseHoldsARunNoLongerThanItsDeadlineAndTheConnectionComesBack() throws InterruptedException {
        awaitPhase(quick.replicaId(), ReplicaPhase.Running);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client().get().uri("/quick/").exchange()
                .expectStatus().isOk().expectBody(Void.class));
        double writtenOff = registry.get("nanolet.guest.written.off").functionCounter().count();
        AtomicInteger inFlight = new AtomicInteger();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        try (var requests = Executors.newVirtualThreadPerTaskExecutor()) {
            // a request every 50 ms keeps the binding's connections in use: some are mid-statement when it freezes
            sender.scheduleAtFixedRate(() -> requests.submit(() -> {
                inFlight.incrementAndGet();
                statuses.add(client().get().uri("/quick/").exchange().expectBody(Void.class).returnResult().getStatus().value());
                inFlight.decrementAndGet();
            }), 0, 50, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses.size() >= 5);
            db.freeze();
            try {
                long frozen = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - frozen > Duration.ofSeconds(2).toNanos());
                sender.shutdown();
                assertThat(sender.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
                await("every request answered").atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() == 0);
                await("the binding's connections back in its pool, the database still frozen").atMost(Duration.ofSeconds(3))
                        .until(() -> registry.get("hikaricp.connections.active").tag("pool", "nanolet/default/todo-quick/db").gauge().value() == 0);
                assertThat(registry.get("nanolet.guest.written.off").functionCounter().count()).as("guest threads written off")
                        .isEqualTo(writtenOff);
            } finally {
                db.thaw();
            }
        } finally {
            sender.shutdownNow();
        }
        assertThat(statuses).as("answers before and while the database was frozen")
                .allMatch(status -> status == 200 || status == 503 || status == 504).anyMatch(status -> status >= 503);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client().get().uri("/quick/").exchange()
                .expectStatus().isOk().expectBody(Void.class));
    }

    /** The todo deployment's binding {@code db} in the node's latest lease renewal; null if none carried it yet. */
    private static NodeUsage.BindingMetrics reported() {
        return platform.leases.reversed().stream().flatMap(l -> l.bindings().stream())
                .filter(b -> b.deployment().equals("todo") && b.binding().equals("db")).findFirst().orElse(null);
    }
}
