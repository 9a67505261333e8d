package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.deployment.DeploymentConcurrencyTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Only writes that set a new route or move one take the routes lock: others neither take it nor wait for it, and a
 * route moved by another request while a write waited for its row is still checked under the lock.
 */
@PlatformApiTest
class RoutesLockTest extends NamespaceTestBase {
    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    String spec(String path, String who) {
        return "{\"module\":\"" + module + "\",\"http\":{\"path\":\"" + path + "\"},\"replicas\":0,\"env\":{\"WHO\":\"" + who + "\"}}";
    }

    Response put(String spec) {
        return admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/deployments/web", spec);
    }

    @Test
    void aWriteThatKeepsItsRouteNeitherTakesNorWaitsForTheRoutesLock() throws Exception {
        String route = "/" + ns;
        assertThat(put(spec(route, "first")).status()).isEqualTo(201);

        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            run(holder, "SELECT 1 FROM pg_advisory_xact_lock(?)", DeploymentWriter.ROUTES_LOCK);

            Response changed = CompletableFuture.supplyAsync(() -> put(spec(route, "second"))).get(10, TimeUnit.SECONDS);
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(changed.json().path("revision").asInt()).isEqualTo(2);
            Response manifest = CompletableFuture.supplyAsync(() -> post(admin, "/api/v1/apply", """
                    apiVersion: nanolet.dev/v1
                    kind: Deployment
                    metadata: {name: web, namespace: %s, labels: {app: web}}
                    spec: %s
                    """.formatted(ns, spec(route, "third")))).get(10, TimeUnit.SECONDS);
            assertThat(manifest.status()).as(manifest.body()).isEqualTo(200);

            CompletableFuture<Response> moved = CompletableFuture.supplyAsync(() -> put(spec(route + "-moved", "fourth")));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForTheRoutesLock() >= 1 || moved.isDone());
            assertThat(moved).as("a route that moves waits for the lock").isNotDone();
            holder.commit();
            assertThat(moved.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    /**
     * The write reads its route as unchanged, then waits for its row while another request moves the route away and a
     * third, holding the routes lock, creates a route under the old one in another namespace: the write must not take
     * the old route back unchecked. It finds the lock taken, rolls back (RouteMovedException: while it waits for the lock
     * it holds no row) and applies again, now taking the lock first; its route then clashes with the third's.
     */
    @Test
    void aRouteMovedWhileTheWriteWaitedForItsRowIsCheckedUnderTheRoutesLock() throws Exception {
        Response answer = moveTheRouteWhileWaiting(() -> put(spec("/" + ns, "second")));
        assertThat(answer.status()).as(answer.body()).isEqualTo(409);
        assertThat(answer.json().path("detail").asString()).contains("other-" + ns + "/intruder");
    }

    /** A manifest in the same case is not applied again: 409 naming its document, to apply again. */
    @Test
    void aManifestWhoseRouteMovedWhileItWaitedIsAConflictToApplyAgain() throws Exception {
        Response answer = moveTheRouteWhileWaiting(() -> post(admin, "/api/v1/apply", """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, namespace: %s}
                spec: %s
                """.formatted(ns, spec("/" + ns, "second"))));
        assertThat(answer.status()).as(answer.body()).isEqualTo(409);
        assertThat(answer.json().path("detail").asString())
                .contains("documents[0]", "its route was changed, or it was deleted, by another request", "apply again");
    }

    private Response moveTheRouteWhileWaiting(Supplier<Response> request) throws Exception {
        String route = "/" + ns;
        assertThat(put(spec(route, "first")).status()).isEqualTo(201);
        CompletableFuture<Response> write;
        try (Connection mover = dataSource.getConnection(); Connection intruder = dataSource.getConnection()) {
            mover.setAutoCommit(false);
            intruder.setAutoCommit(false);
            run(mover, "SET LOCAL lock_timeout = '20s'");
            run(intruder, "SET LOCAL lock_timeout = '20s'");
            run(mover, "SELECT 1 FROM deployments WHERE namespace = ? AND name = 'web' AND deleted_at IS NULL FOR UPDATE", ns);
            write = CompletableFuture.supplyAsync(request);
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForARow() >= 1 || write.isDone());

            run(intruder, "SELECT 1 FROM pg_advisory_xact_lock(?)", DeploymentWriter.ROUTES_LOCK);
            String under = "{\"module\":\"" + module + "\",\"http\":{\"path\":\"" + route + "/admin\"},\"replicas\":0}";
            run(intruder, """
                    WITH d AS (INSERT INTO deployments (namespace, name, current_revision, spec, http_path)
                               VALUES (?, 'intruder', 1, ?::jsonb, ?) RETURNING id)
                    INSERT INTO revisions (deployment_id, revision, generation, spec, module_digest)
                    SELECT id, 1, 1, ?::jsonb, ? FROM d""", "other-" + ns, under, route + "/admin", under, module);
            run(mover, """
                    UPDATE deployments SET http_path = ?, spec = jsonb_set(spec, '{http,path}', to_jsonb(?::text))
                    WHERE namespace = ? AND name = 'web' AND deleted_at IS NULL""", route + "-moved", route + "-moved", ns);
            mover.commit();
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForTheRoutesLock() >= 1 || write.isDone());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM (SELECT 1 FROM deployments WHERE namespace = ? AND name = 'web'"
                    + " AND deleted_at IS NULL FOR UPDATE SKIP LOCKED) free", Integer.class, ns))
                    .as("the write rolled back: it waits for the routes lock (a PUT applying again) holding no row").isEqualTo(1);
            intruder.commit();
        }
        return write.get(20, TimeUnit.SECONDS);
    }

    private int waitingForTheRoutesLock() {
        return jdbc.queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", Integer.class);
    }

    private int waitingForARow() {
        return LockWaits.waiting(jdbc);
    }
}
