package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A manifest and a {@code PUT} of a secret it references but does not contain lock in one order (routes lock →
 * secrets → deployments), so they never deadlock.
 */
@PlatformApiTest
class SecretLockOrderTest extends NamespaceTestBase {
    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    String spec() {
        return "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + ns + "\"},\"replicas\":0,\"secretEnv\":{"
                + "\"TOKEN\":{\"secret\":\"token\",\"key\":\"v\"},\"DB\":{\"secret\":\"db\",\"key\":\"v\"}}}";
    }

    Response putSecret(String name, String value) {
        return admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/secrets/" + name, "{\"data\":{\"v\":\"" + value + "\"}}");
    }

    /**
     * The manifest writes {@code token}, which rolls out {@code web} (its row locked), and its document {@code web}
     * references {@code db}; a {@code PUT} of {@code db} locks {@code db}, then rolls out {@code web}. A transaction
     * holding the module's row pauses the manifest inside the rollout (its revision's foreign key waits), with
     * {@code web} locked, until the {@code PUT} has started: before, the manifest then waited for {@code db} and the
     * {@code PUT} for {@code web}, and PostgreSQL aborted one of them.
     */
    @Test
    void aManifestAndAPutOfASecretItOnlyReferencesBothGoThrough() throws Exception {
        assertThat(putSecret("token", "1").status()).isEqualTo(201);
        assertThat(putSecret("db", "1").status()).isEqualTo(201);
        Response created = admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/deployments/web", spec());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String manifest = """
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: token, namespace: %1$s}
                stringData: {v: "2"}
                ---
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, namespace: %1$s}
                spec: %2$s
                """.formatted(ns, spec());

        CompletableFuture<Response> apply;
        CompletableFuture<Response> put;
        try (Connection pause = dataSource.getConnection()) {
            LockWaits.holdModule(pause, module);
            apply = CompletableFuture.supplyAsync(() -> post(admin, "/api/v1/apply", manifest));
            await().atMost(Duration.ofSeconds(20)).until(() -> waiting() >= 1 || apply.isDone());
            put = CompletableFuture.supplyAsync(() -> putSecret("db", "2"));
            await().atMost(Duration.ofSeconds(20)).until(() -> waiting() >= 2 || put.isDone());
            pause.commit();
        }

        Response applied = apply.get(20, TimeUnit.SECONDS);
        Response written = put.get(20, TimeUnit.SECONDS);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(written.status()).as(written.body()).isEqualTo(200);
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/deployments/web").json().path("revision").asInt())
                .as("each secret change rolled web out once").isEqualTo(3);
    }

    /**
     * {@code web} takes {@code A} from secret {@code z}, {@code B} from {@code m} and {@code C} from {@code a}; a
     * {@code PUT} of {@code web} share-locks them, and a manifest that writes {@code a} and {@code z} and applies
     * {@code web} locks {@code a}, {@code m}, {@code z}. A transaction holding {@code m} pauses both at it: before, the
     * {@code PUT} asked in env-name order and held {@code z}, the manifest held {@code a}, and once {@code m} was free
     * each waited for the other's secret until PostgreSQL aborted one.
     */
    @Test
    void aPutLocksTheSecretsItReferencesInNameOrderAsAManifestDoes() throws Exception {
        for (String secret : List.of("a", "m", "z")) {
            assertThat(putSecret(secret, "1").status()).isEqualTo(201);
        }
        String web = "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + ns + "\"},\"replicas\":0,\"secretEnv\":{"
                + "\"A\":{\"secret\":\"z\",\"key\":\"v\"},\"B\":{\"secret\":\"m\",\"key\":\"v\"},"
                + "\"C\":{\"secret\":\"a\",\"key\":\"v\"}}";
        Response created = admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/deployments/web", web + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String manifest = """
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: a, namespace: %1$s}
                stringData: {v: "2"}
                ---
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: z, namespace: %1$s}
                stringData: {v: "2"}
                ---
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, namespace: %1$s}
                spec: %2$s
                """.formatted(ns, web + "}");

        CompletableFuture<Response> put;
        CompletableFuture<Response> apply;
        try (Connection pause = dataSource.getConnection()) {
            pause.setAutoCommit(false);
            DeploymentConcurrencyTest.run(pause, "SELECT 1 FROM secrets WHERE namespace = ? AND name = 'm' FOR UPDATE", ns);
            put = CompletableFuture.supplyAsync(() -> admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns
                    + "/deployments/web", web + ",\"env\":{\"WHO\":\"put\"}}"));
            await().atMost(Duration.ofSeconds(20)).until(() -> waiting() >= 1 || put.isDone());
            apply = CompletableFuture.supplyAsync(() -> post(admin, "/api/v1/apply", manifest));
            await().atMost(Duration.ofSeconds(20)).until(() -> waiting() >= 2 || apply.isDone());
            pause.commit();
        }

        Response written = put.get(20, TimeUnit.SECONDS);
        Response applied = apply.get(20, TimeUnit.SECONDS);
        assertThat(written.status()).as(written.body()).isEqualTo(200);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
    }

    private int waiting() {
        return LockWaits.waiting(jdbc);
    }
}
