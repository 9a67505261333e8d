package dev.nanolet.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/** Writes are audited with who, what, from where and the outcome; only admins read the log. */
@PlatformApiTest
class AuditApiTest {
    @LocalServerPort
    int port;

    ApiClient admin;
    String ns;

    @BeforeEach
    void setUp() {
        admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        ns = "a-" + UUID.randomUUID().toString().substring(0, 8);
    }

    JsonNode token(String role, String namespace) {
        Response r = admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"" + role + "-" + namespace
                + "\",\"grants\":[{\"role\":\"" + role + "\",\"namespace\":\"" + namespace + "\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    @Test
    void writesAreRecordedWithActorObjectClientAndStatusAndReadsAreNot() {
        JsonNode deployer = token("deployer", ns);
        ApiClient client = admin.as(deployer.path("token").asString());
        String id = deployer.path("info").path("id").asString();

        client.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/deployments/web", "{}");
        client.json(HttpMethod.PUT, "/api/v1/namespaces/other/deployments/web", "{}");
        client.get("/api/v1/namespaces/" + ns + "/deployments");

        List<JsonNode> entries = admin.get("/api/v1/audit?actor=" + id).json().path("entries").valueStream().toList();
        assertThat(entries).hasSize(2);
        JsonNode refused = entries.get(0);
        assertThat(refused.path("status").asInt()).isEqualTo(403);
        assertThat(refused.path("namespace").asString()).isEqualTo("other");
        JsonNode invalid = entries.get(1);
        assertThat(invalid.path("status").asInt()).isEqualTo(422);
        assertThat(invalid.path("method").asString()).isEqualTo("PUT");
        assertThat(invalid.path("object").asString()).isEqualTo("namespaces/" + ns + "/deployments/web");
        assertThat(invalid.path("actorName").asString()).isEqualTo("deployer-" + ns);
        assertThat(invalid.path("client").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(invalid.path("at").isNull()).isFalse();

        List<JsonNode> tokenCreation = admin.get("/api/v1/audit?actor=admin&limit=500").json().path("entries").valueStream()
                .filter(e -> e.path("object").asString().equals("tokens")).toList();
        // the newest is this test's own creation of the deployer's token (other tests' refused ones are older)
        assertThat(tokenCreation).isNotEmpty().first().satisfies(e -> assertThat(e.path("status").asInt()).isEqualTo(201));
    }

    @Test
    void onlyAdminsReadTheLogAndANamespaceAdminOnlyItsNamespace() {
        ApiClient deployer = admin.as(token("deployer", ns).path("token").asString());
        ApiClient nsAdmin = admin.as(token("admin", ns).path("token").asString());
        deployer.delete("/api/v1/namespaces/" + ns + "/deployments/none");

        assertThat(deployer.get("/api/v1/audit?namespace=" + ns).status()).isEqualTo(403);
        assertThat(nsAdmin.get("/api/v1/audit").status()).isEqualTo(403);
        assertThat(nsAdmin.get("/api/v1/audit?namespace=other").status()).isEqualTo(403);
        Response own = nsAdmin.get("/api/v1/audit?namespace=" + ns);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.json().path("entries").valueStream().map(e -> e.path("status").asInt()).toList()).containsExactly(404);
    }

    @Test
    void aNamespaceAdminSeesWhatAnotherNamespacesTokenTriedButNotWhoNorCanFindItByName() {
        String other = "b-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode prober = token("admin", other);
        String proberId = prober.path("info").path("id").asString();
        ApiClient deployer = admin.as(token("deployer", ns).path("token").asString());
        ApiClient nsAdmin = admin.as(token("admin", ns).path("token").asString());
        assertThat(admin.as(prober.path("token").asString()).send(HttpMethod.DELETE, "/api/v1/namespaces/" + ns
                + "/deployments/web", null, null, java.util.Map.of("X-Request-Id", "probe-" + ns)).status()).isEqualTo(403);
        assertThat(deployer.delete("/api/v1/namespaces/" + ns + "/deployments/web").status()).isEqualTo(404);

        await().untilAsserted(() -> // each entry is written once its answer is sent
                assertThat(nsAdmin.get("/api/v1/audit?namespace=" + ns).json().path("entries")).hasSize(2));
        List<JsonNode> own = nsAdmin.get("/api/v1/audit?namespace=" + ns).json().path("entries").valueStream().toList();
        assertThat(own.get(0).path("actorName").asString()).isEqualTo("deployer-" + ns);
        assertThat(own.get(1).path("status").asInt()).isEqualTo(403);
        assertThat(own.get(1).path("object").asString()).isEqualTo("namespaces/" + ns + "/deployments/web");
        assertThat(own.get(1).path("actorName").asString()).isEqualTo("a token of another namespace");
        assertThat(own.get(1).path("actorId").isNull()).isTrue();
        assertThat(own.get(1).path("client").isNull()).isTrue();
        assertThat(own.get(1).path("requestId").isNull()).as("the client may name itself in it").isTrue();
        assertThat(own.get(0).path("requestId").isString()).isTrue();
        for (String actor : List.of("admin-" + other, proberId)) {
            Response guessed = nsAdmin.get("/api/v1/audit?namespace=" + ns + "&actor=" + actor);
            assertThat(guessed.status()).as(guessed.body()).isEqualTo(200);
            assertThat(guessed.json().path("entries")).as(actor).isEmpty();
        }
        assertThat(nsAdmin.get("/api/v1/audit?namespace=" + ns + "&actor=deployer-" + ns).json().path("entries")).hasSize(1);
        Response byId = nsAdmin.get("/api/v1/audit?namespace=" + ns + "&requestId=probe-" + ns);
        assertThat(byId.status()).as(byId.body()).isEqualTo(200);
        assertThat(byId.json().path("entries")).as("a guessed request id selects nothing either").isEmpty();
        assertThat(admin.get("/api/v1/audit?namespace=" + ns + "&requestId=probe-" + ns).json().path("entries")).hasSize(1);
        assertThat(admin.get("/api/v1/audit?namespace=" + ns + "&actor=" + proberId).json().path("entries").valueStream()
                .map(e -> e.path("actorName").asString())).containsExactly("admin-" + other);
    }

    /** The bootstrap token is the cluster's, no other tenant's: a namespace admin reads its refused write by its name. */
    @Test
    void aNamespaceAdminSeesTheBootstrapTokensRefusedWriteAsTheBootstrapTokens() {
        ApiClient nsAdmin = admin.as(token("admin", ns).path("token").asString());
        assertThat(admin.as(PlatformApiTest.NODE_TOKEN).delete("/api/v1/namespaces/" + ns + "/deployments/web").status())
                .isEqualTo(403);

        await().untilAsserted(() -> // each entry is written once its answer is sent
                assertThat(nsAdmin.get("/api/v1/audit?namespace=" + ns).json().path("entries")).hasSize(1));
        JsonNode refused = nsAdmin.get("/api/v1/audit?namespace=" + ns).json().path("entries").get(0);
        assertThat(refused.path("status").asInt()).isEqualTo(403);
        assertThat(refused.path("actorName").asString()).isEqualTo("bootstrap");
        assertThat(nsAdmin.get("/api/v1/audit?namespace=" + ns + "&actor=bootstrap").json().path("entries")).hasSize(1);
    }

    @Test
    void pagesWalkBackwardsWithoutGapsOrRepeats() {
        ApiClient deployer = admin.as(token("deployer", ns).path("token").asString());
        for (int i = 0; i < 5; i++) {
            deployer.delete("/api/v1/namespaces/" + ns + "/deployments/d" + i);
        }
        JsonNode first = admin.get("/api/v1/audit?namespace=" + ns + "&limit=3").json();
        JsonNode second = admin.get("/api/v1/audit?namespace=" + ns + "&limit=3&before=" + first.path("next").asLong()).json();
        List<String> objects = new java.util.ArrayList<>();
        first.path("entries").forEach(e -> objects.add(e.path("object").asString()));
        second.path("entries").forEach(e -> objects.add(e.path("object").asString()));
        String base = "namespaces/" + ns + "/deployments/";
        assertThat(objects).containsExactly(base + "d4", base + "d3", base + "d2", base + "d1", base + "d0");
        assertThat(second.path("next").isNull()).isTrue();
        assertThat(admin.get("/api/v1/audit?limit=0").status()).isEqualTo(422);
    }

    @Test
    void dryRunFiltersTogetherWithTheOtherFilters() {
        ApiClient deployer = admin.as(token("deployer", ns).path("token").asString());
        String web = "/api/v1/namespaces/" + ns + "/deployments/web";
        assertThat(deployer.delete(web + "?dryRun=All").status()).isEqualTo(404);
        assertThat(deployer.delete(web).status()).isEqualTo(404);
        deployer.delete("/api/v1/namespaces/other/deployments/web?dryRun=All"); // 403, another namespace

        String actor = "&actor=deployer-" + ns;
        await().untilAsserted(() -> // each entry is written once its answer is sent
                assertThat(dryRuns("?namespace=" + ns + actor + "&dryRun=")).containsExactly(false, true));
        assertThat(dryRuns("?namespace=" + ns + actor + "&dryRun=true")).containsExactly(true);
        assertThat(dryRuns("?namespace=" + ns + actor + "&dryRun=false")).containsExactly(false);
        assertThat(dryRuns("?namespace=" + ns + "&dryRun=true&limit=1")).containsExactly(true);
    }

    @Test
    void dryRunIsTrueOrFalseAndAnythingElseIs400NamingIt() {
        for (String value : List.of("All", "yes", "1", "TRUE", "%20true", "true%20", "on", "true&dryRun=false")) {
            Response r = admin.get("/api/v1/audit?dryRun=" + value);
            assertThat(r.status()).as(value + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().getContentType()).isEqualTo(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(r.errorFields()).as(value).containsExactly("dryRun");
            assertThat(r.json().path("detail").asString()).as(value).startsWith("dryRun: ");
        }
    }

    List<Boolean> dryRuns(String query) {
        Response r = admin.get("/api/v1/audit" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("entries").valueStream().map(e -> e.path("dryRun").asBoolean()).toList();
    }

    @Test
    void eachDocumentAnApplyWritesIsInTheLogOfItsNamespace() {
        String module = admin.upload("hello.wasm");
        String other = "b-" + UUID.randomUUID().toString().substring(0, 8);
        ApiClient nsAdmin = admin.as(token("admin", ns).path("token").asString());
        String manifest = """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, namespace: %1$s}
                spec: {module: "%3$s", job: {}}
                ---
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: db, namespace: %1$s}
                stringData: {password: hunter2}
                ---
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, namespace: %2$s}
                spec: {module: "%3$s", job: {}}
                """.formatted(ns, other, module);

        Response applied = apply(manifest);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);

        Response own = nsAdmin.get("/api/v1/audit?namespace=" + ns);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.json().path("entries").valueStream()
                .map(e -> e.path("method").asString() + " " + e.path("path").asString() + " " + e.path("status").asInt()
                        + " " + e.path("actorName").asString()))
                .containsExactlyInAnyOrder("PUT /api/v1/namespaces/" + ns + "/deployments/web 200 admin",
                        "PUT /api/v1/namespaces/" + ns + "/secrets/db 200 admin");
        assertThat(admin.get("/api/v1/audit?namespace=" + other).json().path("entries").valueStream()
                .map(e -> e.path("object").asString())).containsExactly("namespaces/" + other + "/deployments/web");
    }

    Response apply(String yaml) {
        return admin.send(HttpMethod.POST, "/api/v1/apply", org.springframework.http.MediaType.parseMediaType("application/yaml"),
                yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Map.of());
    }
}
