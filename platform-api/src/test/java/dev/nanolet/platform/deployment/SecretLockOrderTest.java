package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.sql.Connection;
import java.util.List;
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
        String manifest = manifest("token", spec());

        try (Connection pause = dataSource.getConnection()) {
            LockWaits.holdModule(pause, module);
            LockWaits.bothOk(LockWaits.interleave(jdbc, pause, () -> post(admin, "/api/v1/apply", manifest),
                    () -> putSecret("db", "2")));
        }
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
                """.formatted(ns) + manifest("z", web + "}");

        try (Connection pause = dataSource.getConnection()) {
            pause.setAutoCommit(false);
            DeploymentConcurrencyTest.run(pause, "SELECT 1 FROM secrets WHERE namespace = ? AND name = 'm' FOR UPDATE", ns);
            LockWaits.bothOk(LockWaits.interleave(jdbc, pause, () -> admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns
                    + "/deployments/web", web + ",\"env\":{\"WHO\":\"put\"}}"), () -> post(admin, "/api/v1/apply", manifest)));
        }
    }

    /** A manifest that writes secret {@code secret} (value 2) and applies {@code web} with {@code spec}. */
    private String manifest(String secret, String spec) {
        return """
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: %1$s, namespace: %2$s}
                stringData: {v: "2"}
                ---
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, namespace: %2$s}
                spec: %3$s
                """.formatted(secret, ns, spec);
    }

}
