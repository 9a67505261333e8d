package dev.nanolet.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The secrets API over real HTTP on real PostgreSQL: values sealed at rest and never answered, bounds, roles, references. */
@PlatformApiTest
class SecretApiTest extends NamespaceTestBase {
    static final String PASSWORD = "s3cr3t-Pa55word-" + UUID.randomUUID();

    @Autowired
    JdbcClient jdbc;

    Response put(ApiClient as, String name, String data) {
        return as.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/secrets/" + name, "{\"data\":" + data + "}");
    }

    String db() {
        return "{\"url\":\"jdbc:postgresql://db:5432/app\",\"user\":\"app\",\"password\":\"" + PASSWORD + "\"}";
    }

    Response deploy(String name, String specTail) {
        return admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/deployments/" + name,
                "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + ns + "/" + name + "\"}" + specTail + "}");
    }

    @Test
    void valuesAreSealedAtRestAndNoAnswerHoldsThem() {
        Response created = put(admin, "db", db());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(PASSWORD);
        JsonNode secret = created.json();
        assertThat(secret.path("namespace").asString()).isEqualTo(ns);
        assertThat(secret.path("name").asString()).isEqualTo("db");
        assertThat(secret.path("keys").valueStream().map(JsonNode::asString).toList()).containsExactly("password", "url", "user");
        assertThat(secret.path("version").asLong()).isEqualTo(1);
        assertThat(secret.has("data")).isFalse();

        String stored = jdbc.sql("SELECT data::text || key_id FROM secrets WHERE namespace = ? AND name = 'db'").param(ns)
                .query(String.class).single();
        assertThat(stored).doesNotContain(PASSWORD).doesNotContain("app").contains("password");
        byte[] raw = jdbc.sql("SELECT convert_to(data::text, 'UTF8') FROM secrets WHERE namespace = ?").param(ns)
                .query(byte[].class).single();
        assertThat(new String(raw)).doesNotContain(PASSWORD);

        Response read = admin.get("/api/v1/namespaces/" + ns + "/secrets/db");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(PASSWORD);
        assertThat(read.json().path("createdAt").asString()).isNotEmpty();
        Response list = admin.get("/api/v1/namespaces/" + ns + "/secrets");
        assertThat(list.json().size()).isEqualTo(1);
        assertThat(list.body()).doesNotContain(PASSWORD);

        Response same = put(admin, "db", db());
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().path("version").asLong()).as("an identical write changes nothing").isEqualTo(1);
        Response changed = put(admin, "db", "{\"url\":\"jdbc:postgresql://db/app\"}");
        assertThat(changed.json().path("version").asLong()).isEqualTo(2);
        assertThat(changed.json().path("keys").size()).isEqualTo(1);

        String audit = jdbc.sql("SELECT string_agg(path || object, ' ') FROM audit_log WHERE namespace = ?").param(ns)
                .query(String.class).single();
        assertThat(audit).contains("secrets/db").doesNotContain(PASSWORD);

        assertThat(admin.delete("/api/v1/namespaces/" + ns + "/secrets/db").status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/secrets/db").status()).isEqualTo(404);
        assertThat(admin.delete("/api/v1/namespaces/" + ns + "/secrets/db").status()).isEqualTo(404);
    }

    @Test
    void hostileBodiesAnswer4xxNamingTheField() {
        Response badKey = put(admin, "x", "{\"bad key\":\"v\",\"ok\":\"v\"}");
        assertThat(badKey.status()).isEqualTo(422);
        assertThat(badKey.errorFields()).containsExactly("data.bad key");
        assertThat(put(admin, "x", "null").errorFields()).containsExactly("data");
        assertThat(admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/secrets/x", "{}").errorFields()).containsExactly("data");
        assertThat(put(admin, "Bad_Name", "{\"k\":\"v\"}").errorFields()).containsExactly("name");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i <= SecretRules.MAX_KEYS; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        assertThat(put(admin, "x", many + "}").errorFields()).containsExactly("data");
        assertThat(put(admin, "x", "{\"big\":\"" + "x".repeat(SecretRules.MAX_VALUE_BYTES + 1) + "\"}").errorFields())
                .containsExactly("data.big");
        Response notString = put(admin, "x", "{\"k\":{\"nested\":1}}");
        assertThat(notString.status()).isEqualTo(400);
        assertThat(notString.body()).doesNotContain("Exception");
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/secrets").json().size()).isZero();
    }

    @Test
    void viewersReadMetadataAndDeployersWriteOnlyTheirNamespace() {
        put(admin, "db", db());
        String viewer = token("viewer", ns);
        String deployer = token("deployer", ns);
        assertThat(admin.as(viewer).get("/api/v1/namespaces/" + ns + "/secrets").status()).isEqualTo(200);
        assertThat(admin.as(viewer).get("/api/v1/namespaces/" + ns + "/secrets/db").status()).isEqualTo(200);
        assertThat(put(admin.as(viewer), "db", "{\"k\":\"v\"}").status()).isEqualTo(403);
        assertThat(admin.as(viewer).delete("/api/v1/namespaces/" + ns + "/secrets/db").status()).isEqualTo(403);
        assertThat(put(admin.as(deployer), "other", "{\"k\":\"v\"}").status()).isEqualTo(201);
        assertThat(admin.as(deployer).json(HttpMethod.PUT, "/api/v1/namespaces/kube-system/secrets/x", "{\"data\":{\"k\":\"v\"}}")
                .status()).isEqualTo(403);
        assertThat(admin.as(deployer).get("/api/v1/namespaces/kube-system/secrets").status()).isEqualTo(403);
        assertThat(admin.as(deployer).json(HttpMethod.POST, "/api/v1/secrets:rotate", "{}").status()).isEqualTo(403);
    }

    @Test
    void secretEnvAndBindingsMustNameExistingSecretsAndKeys() {
        String env = ",\"env\":{\"PLAIN\":\"x\",\"DB_PASSWORD\":{\"valueFrom\":{\"secret\":\"db\",\"key\":\"password\"}}}";
        Response missing = deploy("web", env);
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.errorFields()).containsExactly("env.DB_PASSWORD.valueFrom.secret");

        put(admin, "db", "{\"url\":\"jdbc:postgresql://db/app\"}");
        Response noKey = deploy("web", env);
        assertThat(noKey.errorFields()).containsExactly("env.DB_PASSWORD.valueFrom.key");
        assertThat(noKey.body()).contains("has no key password");

        put(admin, "db", db());
        Response ok = deploy("web", env + ",\"bindings\":[{\"name\":\"todo\",\"type\":\"postgres\",\"secret\":\"db\"}]");
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        JsonNode spec = ok.json().path("spec");
        assertThat(spec.path("env").path("PLAIN").asString()).isEqualTo("x");
        assertThat(spec.path("env").has("DB_PASSWORD")).isFalse();
        assertThat(spec.path("secretEnv").path("DB_PASSWORD").path("secret").asString()).isEqualTo("db");
        assertThat(ok.body()).doesNotContain(PASSWORD);
        Response again = admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/deployments/web", spec.toString());
        assertThat(again.status()).as("the answered form applies unchanged").isEqualTo(200);
        assertThat(again.json().path("revision").asInt()).isEqualTo(1);

        Response inUse = admin.delete("/api/v1/namespaces/" + ns + "/secrets/db");
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.json().path("detail").asString())
                .isEqualTo("secret " + ns + "/db is used by deployment web; remove it from its env and bindings first");

        Response bindings = deploy("bad", ",\"bindings\":[{\"name\":\"todo\",\"type\":\"mysql\",\"secret\":\"db\"},"
                + "{\"name\":\"todo\",\"type\":\"kv\",\"secret\":\"nope\"},{\"name\":\"Bad!\",\"type\":\"kv\",\"secret\":\"partial\"}]");
        assertThat(bindings.errorFields()).containsExactlyInAnyOrder("bindings[0].type", "bindings[1].name",
                "bindings[1].secret", "bindings[2].name", "bindings[2].secret");
        put(admin, "partial", "{\"host\":\"db\"}");
        assertThat(deploy("bad", ",\"bindings\":[{\"name\":\"kv\",\"type\":\"kv\",\"secret\":\"partial\"}]").errorFields())
                .containsExactly("bindings[0].secret");
        put(admin, "parts", "{\"host\":\"db\",\"database\":\"app\",\"port\":\"5432\"}");
        assertThat(deploy("good", ",\"bindings\":[{\"name\":\"kv\",\"type\":\"kv\",\"secret\":\"parts\"}]").status()).isEqualTo(201);

        Response both = deploy("both", ",\"env\":{\"A\":\"x\"},\"secretEnv\":{\"A\":{\"secret\":\"db\",\"key\":\"url\"}}");
        assertThat(both.errorFields()).containsExactly("env.A");
        Response wrongShape = deploy("shape", ",\"env\":{\"A\":{\"valueFrom\":{\"secret\":\"db\"}}}");
        assertThat(wrongShape.errorFields()).containsExactly("env.A.valueFrom");
        Response unknownField = deploy("shape", ",\"env\":{\"A\":{\"valueFrom\":{\"secret\":\"db\",\"key\":\"url\",\"x\":1}}}");
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(unknownField.errorFields()).containsExactly("secretEnv.A.x");
    }

    @Test
    void aChangedSecretRollsOutTheHttpDeploymentsThatUseIt() {
        put(admin, "db", db());
        deploy("web", ",\"env\":{\"P\":{\"valueFrom\":{\"secret\":\"db\",\"key\":\"password\"}}}");
        deploy("other", "");
        put(admin, "db", "{\"url\":\"u\",\"password\":\"new\"}");
        JsonNode web = admin.get("/api/v1/namespaces/" + ns + "/deployments/web").json();
        assertThat(web.path("revision").asInt()).isEqualTo(2);
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/deployments/other").json().path("revision").asInt()).isEqualTo(1);
        put(admin, "db", "{\"url\":\"u\",\"password\":\"new\"}");
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/deployments/web").json().path("revision").asInt())
                .as("an identical write rolls nothing out").isEqualTo(2);
    }

    private String token(String role, String namespace) {
        Response r = admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"" + role + "-" + namespace
                + "\",\"grants\":[{\"role\":\"" + role + "\",\"namespace\":\"" + namespace + "\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("token").asString();
    }
}
