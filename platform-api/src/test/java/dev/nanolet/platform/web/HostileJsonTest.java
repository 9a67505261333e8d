package dev.nanolet.platform.web;

import static dev.nanolet.platform.web.ApiEdgeTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Values PostgreSQL cannot store and shapes a record cannot take, in every body platform-api reads:
 * a NUL character (U+0000) and a null array element are refused while reading, named by their JSON
 * path, without Java names; before, they were 500s or Jackson's text naming classes and exceptions.
 */
@PlatformApiTest
class HostileJsonTest {
    static final String NUL = "must not contain the NUL character (\\u0000)";

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
    }

    static void assertNamed(Response r, int status, String field) {
        assertProblem(r, status);
        assertThat(r.errorFields()).as(r.body()).containsExactly(field);
        assertThat(r.body()).doesNotContain("java.", "dev.nanolet", "Exception", "`");
    }

    @Test
    void aNulCharacterInAUsersBodyIsRefusedNamingItsPath() {
        String url = "/api/v1/namespaces/hostile/deployments/nul";
        Response env = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{},\"env\":{\"A\":\"x\\u0000y\"}}");
        assertNamed(env, 400, "env.A");
        assertThat(env.json().path("errors").get(0).path("message").asString()).isEqualTo(NUL);
        assertNamed(admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{},\"args\":[\"ok\",\"\\u0000\"]}"), 400, "args[1]");
        assertNamed(admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{},\"nodeSelector\":{\"zone\":\"a\\u0000\"}}"),
                400, "nodeSelector.zone");
        assertThat(admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{},\"nodeSelector\":{\"z\\u0000\":\"a\"}}").status())
                .as("a NUL in a key too").isEqualTo(400);
        assertNamed(admin.json(HttpMethod.POST, "/api/v1/tokens",
                "{\"name\":\"t\\u0000\",\"grants\":[{\"role\":\"viewer\",\"namespace\":\"hostile\"}]}"), 400, "name");

        Response upload = admin.send(HttpMethod.POST, "/api/v1/modules?name=a%00b", MediaType.parseMediaType("application/wasm"),
                ApiClient.wasm("hello.wasm"), Map.of());
        assertNamed(upload, 400, "name"); // a query's NUL is QueryTextFilter's, before the name's own rule (422 for %01)
    }

    @Test
    void aManifestWithANulIsRefusedByApplyAndDiffAlike() {
        String yaml = """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, namespace: hostile}
                spec: {module: m, job: {}, env: {A: "x\\0y"}}
                """;
        for (String endpoint : List.of("/api/v1/apply", "/api/v1/diff")) {
            Response r = admin.send(HttpMethod.POST, endpoint, MediaType.parseMediaType("application/yaml"),
                    yaml.getBytes(StandardCharsets.UTF_8), Map.of());
            assertNamed(r, 422, "documents[0].spec.env.A");
        }
        assertThat(admin.get("/api/v1/namespaces/hostile/deployments/web").status()).isEqualTo(404);
    }

    @Test
    void aNumberOrABooleanWhereAStringBelongsIsRefusedNotStoredAsOtherText() {
        String url = "/api/v1/namespaces/hostile/deployments/typed";
        Response number = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{},\"env\":{\"N\":1e3}}");
        assertNamed(number, 400, "env.N");
        assertThat(number.json().path("errors").get(0).path("message").asString()).isEqualTo(JsonInputRules.QUOTE_IT);
        assertNamed(admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{},\"args\":[\"ok\",true]}"), 400, "args[1]");
        assertNamed(admin.json(HttpMethod.PUT, "/api/v1/namespaces/hostile/secrets/typed",
                "{\"data\":{\"pin\":0.10000000000000001}}"), 400, "data.pin");
        assertThat(admin.get("/api/v1/namespaces/hostile/secrets/typed").status()).isEqualTo(404);

        String yaml = """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: typed, namespace: hostile}
                spec: {module: m, job: {}, env: {PORT: 8080}}
                ---
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: typed, namespace: hostile}
                stringData: {pin: 1234, debug: true, list: [x]}
                """;
        Response manifest = admin.send(HttpMethod.POST, "/api/v1/diff", MediaType.parseMediaType("application/yaml"),
                yaml.getBytes(StandardCharsets.UTF_8), Map.of());
        assertProblem(manifest, 422);
        // a YAML user wrote a plain 8080 or true: the message says what to write instead
        Map<String, String> messages = new TreeMap<>();
        manifest.json().path("errors").forEach(e -> messages.put(e.path("field").asString(), e.path("message").asString()));
        assertThat(messages).as(manifest.body()).isEqualTo(Map.of("documents[0].spec.env.PORT", JsonInputRules.QUOTE_IT,
                "documents[1].stringData.pin", JsonInputRules.QUOTE_IT, "documents[1].stringData.debug", JsonInputRules.QUOTE_IT,
                "documents[1].stringData.list", "must be a string"));
    }

    @Test
    void aNumberWhereAnEnumBelongsIsRefusedNotReadAsItsPosition() {
        String url = "/api/v1/namespaces/hostile/deployments/position";
        Response policy = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{\"restartPolicy\":1}}");
        assertNamed(policy, 400, "job.restartPolicy");
        assertThat(policy.json().path("errors").get(0).path("message").asString()).isEqualTo("must be one of Never, OnFailure");
        Response role = admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"t\",\"grants\":[{\"role\":2,\"namespace\":\"hostile\"}]}");
        assertNamed(role, 400, "grants[0].role");
        assertThat(role.json().path("errors").get(0).path("message").asString()).isEqualTo("must be one of admin, deployer, viewer");
        assertThat(admin.get(url).status()).isEqualTo(404);

        String module = admin.upload("hello.wasm");
        String yaml = """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: position, namespace: hostile}
                spec: {module: "%s", job: {restartPolicy: %s}}
                """;
        Response manifest = admin.send(HttpMethod.POST, "/api/v1/diff", MediaType.parseMediaType("application/yaml"),
                yaml.formatted(module, "1").getBytes(StandardCharsets.UTF_8), Map.of());
        assertNamed(manifest, 422, "documents[0].spec.job.restartPolicy");
        assertThat(manifest.json().path("errors").get(0).path("message").asString()).isEqualTo("must be one of Never, OnFailure");
        // the names are read as before
        Response named = admin.send(HttpMethod.POST, "/api/v1/diff", MediaType.parseMediaType("application/yaml"),
                yaml.formatted(module, "OnFailure").getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(named.status()).as(named.body()).isEqualTo(200);
        Response lower = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{\"restartPolicy\":\"onfailure\"}}");
        assertNamed(lower, 400, "job.restartPolicy"); // only the exact name, as before
        // a position written as a string was the same slip, and the same setting refuses it
        Response quoted = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{\"restartPolicy\":\"1\"}}");
        assertNamed(quoted, 400, "job.restartPolicy");
        assertThat(quoted.json().path("errors").get(0).path("message").asString()).isEqualTo("must be one of Never, OnFailure");
        // a number too large for an int failed as Jackson's out-of-range, 'is not a valid value', without the names
        for (String huge : List.of("99999999999999999999", "1e400", "-1e400", "1.5")) {
            Response r = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{\"restartPolicy\":" + huge + "}}");
            assertNamed(r, 400, "job.restartPolicy");
            assertThat(r.json().path("errors").get(0).path("message").asString()).as(huge).isEqualTo("must be one of Never, OnFailure");
        }
        Response hugeInYaml = admin.send(HttpMethod.POST, "/api/v1/diff", MediaType.parseMediaType("application/yaml"),
                yaml.formatted(module, "99999999999999999999").getBytes(StandardCharsets.UTF_8), Map.of());
        assertNamed(hugeInYaml, 422, "documents[0].spec.job.restartPolicy");
        assertThat(hugeInYaml.json().path("errors").get(0).path("message").asString()).isEqualTo("must be one of Never, OnFailure");

        TestApi nodes = new TestApi(port, json);
        nodes.register("hostile-enum", Map.of(), 4, 512);
        TestApi.Response phase = nodes.node("POST", "/api/v1/nodes/hostile-enum/status-reports", json.readTree(
                "{\"reports\":[{\"replicaId\":\"00000000-0000-0000-0000-000000000001\",\"report\":{\"phase\":4}}]}"));
        assertThat(phase.status()).as(phase.body()).isEqualTo(400);
        assertThat(phase.body()).contains("reports[0].report.phase", "must be one of");
    }

    @Test
    void aNodesBodiesWithANulOrANullElementAreRefusedNamingThePath() {
        TestApi nodes = new TestApi(port, json);
        TestApi.Response labels = nodes.bootstrap("POST", "/api/v1/nodes", Map.of("name", "hostile-nul", "labels", Map.of("zone", "a\u0000"),
                "capacity", Map.of("instances", 4, "memoryMiB", 512), "address", "http://hostile-nul:8181"));
        assertThat(labels.status()).as(labels.body()).isEqualTo(400);
        assertThat(labels.body()).contains("labels.zone", NUL.replace("\\", "\\\\"));

        nodes.register("hostile-1", Map.of(), 4, 512);
        TestApi.Response unavailable = nodes.node("PUT", "/api/v1/nodes/hostile-1/lease", Map.of("deployments", List.of(), "bindings",
                List.of(Map.of("namespace", "a", "deployment", "b", "binding", "db", "unavailable", "down\u0000"))));
        assertThat(unavailable.status()).as(unavailable.body()).isEqualTo(400);
        assertThat(unavailable.body()).contains("bindings[0].unavailable");

        TestApi.Response deployments = nodes.node("PUT", "/api/v1/nodes/hostile-1/lease", json.readTree("{\"deployments\":[null]}"));
        assertThat(deployments.status()).as(deployments.body()).isEqualTo(400);
        assertThat(deployments.body()).contains("deployments[0]", "must not be null").doesNotContain("java.", "dev.nanolet", "Exception");
        TestApi.Response reports = nodes.node("POST", "/api/v1/nodes/hostile-1/status-reports", json.readTree("{\"reports\":[null]}"));
        assertThat(reports.status()).as(reports.body()).isEqualTo(400);
        assertThat(reports.body()).contains("reports[0]", "must not be null").doesNotContain("java.", "dev.nanolet", "Exception");
    }

    @Test
    void aNullElementIsNamedWithoutJavaNames() {
        Response r = admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"t\",\"grants\":[null]}");
        assertNamed(r, 400, "grants[0]");
        assertThat(r.json().path("detail").asString()).isEqualTo("grants[0]: must not be null");
    }

    @Test
    void theErrorPathRequestedDirectlyIsA404Problem() {
        ApiClient anonymous = admin.as(null);
        Response json = anonymous.get("/error");
        assertProblem(json, 404);
        assertThat(json.json().path("detail").asString()).isEqualTo("no endpoint GET /error; docs/api.md lists them");

        Response html = anonymous.send(HttpMethod.GET, "/error", null, null, Map.of(HttpHeaders.ACCEPT, "text/html"));
        assertProblem(html, 404);
        assertThat(html.body()).doesNotContain("Whitelabel");
    }
}
