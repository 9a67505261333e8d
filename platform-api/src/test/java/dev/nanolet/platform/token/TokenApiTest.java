package dev.nanolet.platform.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** API tokens over real HTTP against real PostgreSQL: roles per namespace, minting, revocation, expiry. */
@PlatformApiTest
class TokenApiTest extends NamespaceTestBase {
    @Autowired
    JdbcClient jdbc;

    static String grant(String role, String namespace) {
        return "{\"role\":\"" + role + "\"" + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"") + "}";
    }

    JsonNode create(ApiClient as, String name, String grants, Long expires) {
        Response r = as.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"" + name + "\",\"grants\":[" + grants + "]"
                + (expires == null ? "" : ",\"expiresInSeconds\":" + expires) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    String spec(String path) {
        return "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + path + "\"},\"replicas\":1}";
    }

    @Test
    void aDeployerWritesItsNamespaceOnlyAndNeverTheNodeProtocol() {
        JsonNode issued = create(admin, "pipeline", grant("deployer", ns), null);
        String secret = issued.path("token").asString();
        assertThat(secret).startsWith("nlt_api_");
        ApiClient deployer = admin.as(secret);

        Response own = deployer.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/deployments/web", spec(ns));
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        assertThat(deployer.get("/api/v1/namespaces/" + ns + "/deployments/web").status()).isEqualTo(200);

        Response other = deployer.json(HttpMethod.PUT, "/api/v1/namespaces/prod/deployments/web", spec("prod-" + ns));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.headers().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(other.json().path("detail").asString()).contains("needs role deployer in namespace prod");

        assertThat(deployer.get("/api/v1/nodes").status()).isEqualTo(403);
        assertThat(deployer.json(HttpMethod.PUT, "/api/v1/nodes/n1/lease", "{}").status()).isEqualTo(403);
        assertThat(deployer.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"x\",\"grants\":[" + grant("viewer", ns) + "]}").status())
                .isEqualTo(403);
        assertThat(deployer.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("application/wasm"),
                ApiClient.wasm("hello.wasm"), Map.of()).status()).isEqualTo(200);
    }

    @Test
    void everyTokenReadsItsOwnGrantsAndNothingElse() {
        JsonNode issued = create(admin, "reader", grant("viewer", ns) + "," + grant("deployer", "other-" + ns), 3600L);
        ApiClient viewer = admin.as(issued.path("token").asString());

        Response self = viewer.get("/api/v1/tokens/self");

        assertThat(self.status()).as(self.body()).isEqualTo(200);
        JsonNode body = self.json();
        assertThat(body.path("name").asString()).isEqualTo("reader");
        assertThat(body.path("id").asString()).isEqualTo(issued.path("info").path("id").asString());
        assertThat(body.path("grants").toString()).contains("\"role\":\"viewer\",\"namespace\":\"" + ns + "\"")
                .contains("\"role\":\"deployer\",\"namespace\":\"other-" + ns + "\"");
        assertThat(body.path("expiresAt").isNull()).isFalse();
        assertThat(viewer.get("/api/v1/tokens").status()).isEqualTo(403);

        JsonNode adminSelf = admin.get("/api/v1/tokens/self").json();
        assertThat(adminSelf.path("name").asString()).isEqualTo("admin");
        assertThat(adminSelf.path("grants").get(0).path("role").asString()).isEqualTo("admin");
        assertThat(adminSelf.path("grants").get(0).path("namespace").isNull()).isTrue();
    }

    @Test
    void theSecretIsShownOnceAndStoredOnlyAsItsHash() {
        JsonNode issued = create(admin, "once", grant("viewer", ns), null);
        String secret = issued.path("token").asString();
        String id = issued.path("info").path("id").asString();

        Response list = admin.get("/api/v1/tokens");
        assertThat(list.body()).contains(id).doesNotContain(secret);
        String stored = jdbc.sql("SELECT grants::text || name || encode(secret_sha256, 'base64') FROM api_tokens WHERE id = ?::uuid")
                .param(id).query(String.class).single();
        assertThat(stored).doesNotContain(secret.substring("nlt_api_".length(), 20));
        assertThat(admin.as(secret + "x").get("/api/v1/namespaces/" + ns + "/deployments").status()).isEqualTo(401);
    }

    @Test
    void aTokenNeverMintsMoreThanItHas() {
        ApiClient nsAdmin = admin.as(create(admin, "ns-admin", grant("admin", ns), 3600L).path("token").asString());

        Response cluster = nsAdmin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"x\",\"grants\":[" + grant("viewer", null) + "],\"expiresInSeconds\":60}");
        assertThat(cluster.status()).as(cluster.body()).isEqualTo(403);
        assertThat(cluster.json().path("detail").asString()).contains("needs role admin cluster-wide");

        Response elsewhere = nsAdmin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"x\",\"grants\":[" + grant("deployer", "prod") + "],\"expiresInSeconds\":60}");
        assertThat(elsewhere.status()).isEqualTo(403);

        Response forever = nsAdmin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"x\",\"grants\":[" + grant("deployer", ns) + "]}");
        assertThat(forever.status()).as(forever.body()).isEqualTo(403);
        assertThat(forever.json().path("detail").asString()).contains("expire no later");

        JsonNode child = create(nsAdmin, "child", grant("deployer", ns), 600L);
        assertThat(nsAdmin.get("/api/v1/tokens").body()).contains(child.path("info").path("id").asString())
                .doesNotContain("\"ns-admin-other\"");
    }

    @Test
    void anInvalidRequestNamesEveryField() {
        Response r = admin.json(HttpMethod.POST, "/api/v1/tokens",
                "{\"name\":\"bad name\",\"grants\":[{\"namespace\":\"Bad_NS\"},{\"role\":\"viewer\",\"namespace\":\"Bad_NS\"}],\"expiresInSeconds\":0}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactlyInAnyOrder("name", "grants[0].role", "grants[1].namespace", "expiresInSeconds");
        Response unknownRole = admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"x\",\"grants\":[{\"role\":\"root\"}]}");
        assertThat(unknownRole.status()).as(unknownRole.body()).isBetween(400, 422);
    }

    @Test
    void aRevokedTokenIsRefusedAndLastUseIsRecorded() {
        JsonNode issued = create(admin, "short", grant("viewer", ns), null);
        ApiClient viewer = admin.as(issued.path("token").asString());
        String id = issued.path("info").path("id").asString();
        assertThat(issued.path("info").path("lastUsedAt").isNull()).isTrue();

        assertThat(viewer.get("/api/v1/namespaces/" + ns + "/deployments").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/tokens").json().findValues("lastUsedAt").stream().anyMatch(v -> !v.isNull())).isTrue();

        assertThat(admin.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        assertThat(viewer.get("/api/v1/namespaces/" + ns + "/deployments").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/tokens").body()).doesNotContain(id);
    }

    @Test
    void aTokenThatIsNoAdminRevokesItselfAndNoOther() {
        JsonNode issued = create(admin, "leaked", grant("deployer", ns), null);
        ApiClient leaked = admin.as(issued.path("token").asString());
        String other = create(admin, "sibling", grant("deployer", ns), null).path("info").path("id").asString();

        String missing = UUID.randomUUID().toString();
        String id = issued.path("info").path("id").asString();

        Response notItsOwn = leaked.delete("/api/v1/tokens/" + other);
        assertThat(notItsOwn.status()).as(notItsOwn.body()).isEqualTo(404);
        assertThat(admin.get("/api/v1/tokens").body()).contains(other);
        Response none = leaked.delete("/api/v1/tokens/" + missing);
        assertThat(none.json().path("detail").asString()).as("another token's id tells no more than a missing one")
                .isEqualTo(notItsOwn.json().path("detail").asString().replace(other, missing));

        Response itself = leaked.delete("/api/v1/tokens/" + id);
        assertThat(itself.status()).as(itself.body()).isEqualTo(204);
        assertThat(leaked.get("/api/v1/tokens/self").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/audit?actor=" + id).json().path("entries").valueStream()
                .map(e -> e.path("method").asString() + " " + e.path("object").asString() + " " + e.path("status").asInt()))
                .containsExactlyInAnyOrder("DELETE tokens/" + other + " 404", "DELETE tokens/" + missing + " 404",
                        "DELETE tokens/" + id + " 204");
    }

    @Test
    void anExpiredTokenIsRefused() {
        ApiClient brief = admin.as(create(admin, "brief", grant("viewer", ns), 1L).path("token").asString());
        await().atMost(Duration.ofSeconds(30)).until(() -> brief.get("/api/v1/namespaces/" + ns + "/deployments").status() == 401);
    }
}
