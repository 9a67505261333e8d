package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Authentication and the problem+json shape of every kind of failure, over real HTTP. */
@PlatformApiTest
@Import(ApiEdgeTest.FailingController.class)
class ApiEdgeTest {
    @LocalServerPort
    int port;

    ApiClient admin;

    @Autowired
    JsonMapper json;

    @BeforeEach
    void client() {
        admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
    }

    @Test
    void noTokenIs401WithAChallenge() {
        Response r = admin.as(null).get("/api/v1/deployments");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertProblem(r, 401);
    }

    @Test
    void wrongTokenIs401() {
        Response r = admin.as("guess").get("/api/v1/modules");
        assertThat(r.status()).isEqualTo(401);
        assertProblem(r, 401);
        assertThat(admin.as(null).send(HttpMethod.GET, "/api/v1/modules", null, null,
                Map.of(HttpHeaders.AUTHORIZATION, "Basic " + PlatformApiTest.ADMIN_TOKEN)).status()).isEqualTo(401);
    }

    @Test
    void bootstrapTokenIsRefusedOutsideRegistration() {
        ApiClient node = admin.as(PlatformApiTest.NODE_TOKEN);
        for (String path : new String[] {"/api/v1/routes", "/api/v1/modules/sha256:" + "0".repeat(64) + "/content"}) {
            assertThat(node.get(path).status()).as(path).isEqualTo(403);
        }
        for (String path : new String[] {"/api/v1/deployments", "/api/v1/modules", "/api/v1/nodes", "/api/v1/nodes/n1",
                "/api/v1/events", "/api/v1/namespaces/default/deployments/x"}) {
            Response r = node.get(path);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertProblem(r, 403);
        }
        assertThat(node.json(HttpMethod.PUT, "/api/v1/namespaces/default/deployments/x", "{}").status()).isEqualTo(403);
    }

    @Test
    void aNodeCredentialPassesToModuleContent() {
        TestApi nodes = new TestApi(port, json);
        nodes.register("edge-1", Map.of(), 1, 64);
        Response r = admin.as(nodes.credential("edge-1")).get("/api/v1/modules/sha256:" + "0".repeat(64) + "/content");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("detail").asString()).contains("no module");
    }

    @Test
    void adminTokenOpensEverything() {
        assertThat(admin.get("/api/v1/deployments").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/events").status()).isEqualTo(200);
    }

    @Test
    void actuatorHealthNeedsNoToken() {
        assertThat(admin.as(null).get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void unknownPathIs404Problem() {
        Response r = admin.get("/api/v1/nothing-here");
        assertProblem(r, 404);
        assertThat(r.json().path("detail").asString()).isEqualTo("no endpoint GET /api/v1/nothing-here; docs/api.md lists them");
    }

    @Test
    void wrongMethodIs405Problem() {
        assertProblem(admin.delete("/api/v1/deployments"), 405);
    }

    @Test
    void wrongContentTypeIs415ProblemNamingTheTypesTheEndpointTakes() {
        Response r = admin.send(HttpMethod.PUT, "/api/v1/namespaces/default/deployments/x", MediaType.TEXT_PLAIN,
                "hello".getBytes(StandardCharsets.UTF_8), Map.of());
        assertProblem(r, 415);
        assertThat(r.json().path("detail").asString())
                .isEqualTo("Content-Type 'text/plain;charset=UTF-8' is not taken here; send application/json");

        Response upload = admin.send(HttpMethod.POST, "/api/v1/modules?name=x", MediaType.TEXT_PLAIN,
                "hello".getBytes(StandardCharsets.UTF_8), Map.of());
        assertProblem(upload, 415);
        assertThat(upload.json().path("detail").asString()).startsWith("Content-Type 'text/plain' is not taken here; send ")
                .contains("application/json", "application/wasm", "multipart/form-data");
    }

    @Test
    void yamlIsTakenByApplyAndDiffOnlyNotReadPastTheJsonRules() {
        Response r = admin.send(HttpMethod.PUT, "/api/v1/namespaces/default/deployments/x", MediaType.parseMediaType("application/yaml"),
                "module: \"sha256:0\"\nreplica: 3\nenv: {A: \"a\\0b\"}\n".getBytes(StandardCharsets.UTF_8), Map.of());
        assertProblem(r, 415);
        assertThat(r.json().path("detail").asString())
                .isEqualTo("Content-Type 'application/yaml;charset=UTF-8' is not taken here; send application/json");
    }

    @Test
    void aContentTypeThatIsNoMediaTypeIs415SayingSo() throws Exception {
        String answer = ApiClient.raw(port, "PUT /api/v1/namespaces/default/deployments/x",
                "Content-Type: nonsense\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(answer).startsWith("HTTP/1.1 415")
                .contains("\"detail\":\"Content-Type 'nonsense' is not a media type; send application/json");
    }

    @Test
    void malformedJsonIs400Problem() {
        Response r = admin.json(HttpMethod.PUT, "/api/v1/namespaces/default/deployments/x", "{\"module\": ");
        assertProblem(r, 400);
    }

    @Test
    void wrongJsonTypeIs400NamingTheField() {
        Response r = admin.json(HttpMethod.PUT, "/api/v1/namespaces/default/deployments/x",
                "{\"module\":\"m\",\"limits\":{\"memoryMiB\":\"lots\"}}");
        assertProblem(r, 400);
        assertThat(r.errorFields()).containsExactly("limits.memoryMiB");
    }

    @Test
    void wrongTypesAreExplainedInJsonTermsWithoutJavaNames() {
        String url = "/api/v1/namespaces/default/deployments/x";
        Response number = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"replicas\":true}");
        Response policy = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"job\":{\"restartPolicy\":\"Always\"}}");
        Response array = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"args\":\"-v\"}");
        Response object = admin.json(HttpMethod.PUT, url, "{\"module\":\"m\",\"http\":\"/x\"}");
        Response root = admin.json(HttpMethod.PUT, url, "[1]");

        assertThat(number.json().path("errors").get(0).path("message").asString()).isEqualTo("must be a whole number");
        assertThat(policy.json().path("errors").get(0).path("message").asString()).isEqualTo("must be one of Never, OnFailure");
        assertThat(array.json().path("errors").get(0).path("message").asString()).isEqualTo("must be an array");
        assertThat(object.json().path("detail").asString()).isEqualTo("http: must be an object");
        assertThat(root.json().path("detail").asString()).isEqualTo("the request body: must be an object");
        for (Response r : List.of(number, policy, array, object, root)) {
            assertProblem(r, 400);
            assertThat(r.body()).doesNotContain("java.").doesNotContain("dev.nanolet");
        }
    }

    @Test
    void mistypedQueryAndPathParametersAre400NamingThem() {
        Response limit = admin.get("/api/v1/events?limit=abc");
        Response follow = admin.get("/api/v1/namespaces/default/deployments/x/logs?follow=maybe");
        Response id = admin.json(HttpMethod.PUT, "/api/v1/nodes/n1/replicas/not-a-uuid/status", "{\"phase\":\"Running\"}");

        assertProblem(limit, 400);
        assertThat(limit.json().path("errors").get(0).path("message").asString()).isEqualTo(QueryNumbers.RULE);
        assertThat(limit.errorFields()).containsExactly("limit");
        assertProblem(follow, 400);
        assertThat(follow.errorFields()).containsExactly("follow");
        assertProblem(id, 400);
        assertThat(id.errorFields()).containsExactly("id");
        assertThat(id.json().path("detail").asString()).isEqualTo("id: is not a valid UUID");
    }

    @Test
    void wrongTypeInsideAnArrayIsNamedByIndex() {
        Response r = admin.json(HttpMethod.PUT, "/api/v1/namespaces/default/deployments/x",
                "{\"module\":\"m\",\"args\":[\"a\",{}]}");
        assertProblem(r, 400);
        assertThat(r.errorFields()).containsExactly("args[1]");
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() {
        Response r = admin.get("/api/v1/test/boom");
        assertProblem(r, 500);
        assertThat(r.body()).doesNotContain("secret internals").doesNotContain("at dev.nanolet");
    }

    static void assertProblem(Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("title").asString()).isNotBlank();
        assertThat(r.json().has("detail")).isTrue();
    }

    /** Fails on purpose so the 500 answer can be checked. */
    @RestController
    static class FailingController {
        @GetMapping("/api/v1/test/boom")
        String boom() {
            throw new IllegalStateException("secret internals");
        }
    }
}
