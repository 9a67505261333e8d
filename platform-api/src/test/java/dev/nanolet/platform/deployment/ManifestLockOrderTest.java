package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.deployment.DeploymentConcurrencyTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Manifests lock the deployment rows they touch in one sorted pass, so two that name the same deployments in another
 * order never deadlock; two that create the same deployments, which no pass can lock, serialize on the routes lock;
 * and a deadlock PostgreSQL breaks anyway is a 409 to retry.
 */
@PlatformApiTest
class ManifestLockOrderTest extends NamespaceTestBase {
    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    String spec(String name, String who) {
        return "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + ns + "-" + name + "\"},\"replicas\":0,"
                + "\"env\":{\"WHO\":\"" + who + "\"}}";
    }

    String document(String name, String who) {
        return """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec: %s
                """.formatted(name, ns, spec(name, who));
    }

    Response put(String name, String who) {
        return admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/deployments/" + name, spec(name, who));
    }

    /**
     * Each manifest changes only the env of {@code a} and {@code b}, routes unchanged. A transaction holding the module's
     * row pauses the first inside its first document with {@code a} locked, then the second: before, the second had
     * {@code b} locked, and once the module was free each waited for the other's row until PostgreSQL aborted one.
     */
    @Test
    void twoManifestsNamingTheSameDeploymentsInOppositeOrdersBothGoThrough() throws Exception {
        assertThat(put("a", "0").status()).isEqualTo(201);
        assertThat(put("b", "0").status()).isEqualTo(201);

        try (Connection pause = dataSource.getConnection()) {
            LockWaits.holdModule(pause, module);
            LockWaits.bothOk(LockWaits.interleave(jdbc, pause,
                    () -> post(admin, "/api/v1/apply", document("a", "1") + "---\n" + document("b", "1")),
                    () -> post(admin, "/api/v1/apply", document("b", "2") + "---\n" + document("a", "2"))));
        }
    }

    /**
     * Each round two manifests create the same two jobs (no route, so no route moves), in opposite orders, released
     * together. Each would insert its first row and then wait for the other's uncommitted insert of its second: a
     * deadlock or, once one commits, a 409 "created by another request"; on the routes lock the second waits for the
     * first before it locks anything, and then finds both rows to change. So the routes lock stays for manifests of
     * several deployments (or any secret) although the sorted pass made it needless for the rows that exist.
     */
    @Test
    void twoManifestsCreatingTheSameDeploymentsInOppositeOrdersBothGoThrough() throws Exception {
        for (int round = 1; round <= 20; round++) {
            String x = job("x" + round);
            String y = job("y" + round);
            List<Response> answers = DeploymentConcurrencyTest.all(List.<Callable<Response>>of(
                    () -> post(admin, "/api/v1/apply", x + "---\n" + y), () -> post(admin, "/api/v1/apply", y + "---\n" + x)));
            for (Response answer : answers) {
                assertThat(answer.status()).as("round " + round + ": " + answer.body()).isEqualTo(200);
            }
        }
    }

    String job(String name) {
        return """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec: {"module":"%s","job":{}}
                """.formatted(name, ns, module);
    }

    /**
     * A {@code PUT} holds its deployment's row and waits for the module's, which a transaction holds that then waits for
     * the deployment's row; its {@code deadlock_timeout} is long, so PostgreSQL aborts the {@code PUT}.
     */
    @Test
    void aDeadlockPostgresqlBreaksIsAConflictToRetry() throws Exception {
        assertThat(put("a", "0").status()).isEqualTo(201);

        CompletableFuture<Response> write;
        try (Connection other = dataSource.getConnection()) {
            LockWaits.holdModule(other, module);
            run(other, "SET LOCAL deadlock_timeout = '60s'");
            write = CompletableFuture.supplyAsync(() -> put("a", "1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> LockWaits.waiting(jdbc) >= 1 || write.isDone());
            run(other, "SELECT 1 FROM deployments WHERE namespace = ? AND name = 'a' AND deleted_at IS NULL FOR UPDATE", ns);
            other.commit();
        }

        Response answer = write.get(20, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(409);
        assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(answer.json().path("detail").asString()).contains("send it again");
        assertThat(put("a", "1").status()).as("sent again, it goes through").isEqualTo(200);
    }
}
