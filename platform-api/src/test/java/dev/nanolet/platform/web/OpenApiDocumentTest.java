package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The served OpenAPI document covers every public endpoint Spring MVC maps and equals the committed
 * docs/openapi.json. After an API change, regenerate the file with
 * {@code ./mvnw -q -Ddev -pl platform-api -am test -Dtest=OpenApiDocumentTest -Dsurefire.failIfNoSpecifiedTests=false -Dnanolet.openapi.write=true}.
 */
@PlatformApiTest
class OpenApiDocumentTest {
    static final Path COMMITTED = Path.of("..", "docs", "openapi.json");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    JsonNode served;

    @BeforeEach
    void fetch() throws Exception {
        Response r = new ApiClient(port, "no-token-needed").get("/v3/api-docs");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        served = r.json();
        if (Boolean.getBoolean("nanolet.openapi.write")) {
            Files.writeString(COMMITTED, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n");
        }
    }

    /** {@code METHOD /path} of every mapped endpoint under /api/ outside the node protocol. */
    List<String> publicEndpoints() {
        List<String> endpoints = new ArrayList<>();
        mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().forEach(pattern -> {
            if (pattern.startsWith("/api/")) {
                info.getMethodsCondition().getMethods().forEach(m -> {
                    if (!OpenApiDocument.nodeProtocol(m.name(), pattern)) {
                        endpoints.add(m.name() + " " + pattern.replaceAll("\\{([^}:]+):[^}]*}", "{$1}"));
                    }
                });
            }
        }));
        return endpoints;
    }

    @Test
    void everyPublicEndpointIsInTheDocumentAndTheNodeProtocolIsNot() {
        List<String> endpoints = publicEndpoints();
        assertThat(endpoints).contains("POST /api/v1/apply", "GET /api/v1/namespaces/{namespace}/deployments/{name}/rollout",
                "GET /api/v1/tokens/self");
        for (String endpoint : endpoints) {
            String[] e = endpoint.split(" ");
            assertThat(served.path("paths").path(e[1]).path(e[0].toLowerCase(Locale.ROOT)).isObject())
                    .as("%s is in the OpenAPI document", endpoint).isTrue();
        }
        assertThat(served.path("paths").has("/api/v1/nodes/{name}/lease")).isFalse();
        assertThat(served.path("paths").has("/api/v1/nodes/{node}/assignments")).isFalse();
        assertThat(served.path("paths").path("/api/v1/nodes").has("post")).isFalse();
        assertThat(served.path("paths").path("/api/v1/nodes").has("get")).isTrue();
    }

    @Test
    void itIsOpenApi31WithTheBearerSchemeAndProblemAnswers() {
        assertThat(served.path("openapi").asString()).startsWith("3.1");
        assertThat(served.path("components").path("securitySchemes").path("bearer").path("scheme").asString()).isEqualTo("bearer");
        assertThat(served.path("security").get(0).has("bearer")).isTrue();
        JsonNode apply = served.path("paths").path("/api/v1/apply").path("post").path("responses");
        for (String status : List.of("400", "401", "403", "409", "413", "415", "422")) {
            assertThat(apply.path(status).path("content").path("application/problem+json").path("schema").path("$ref").asString())
                    .as("POST /api/v1/apply answers %s as a problem", status).isEqualTo("#/components/schemas/Problem");
        }
        served.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (op.getValue().has("responses")) {
                op.getValue().path("responses").properties().forEach(response -> {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        assertThat(response.getValue().path("content").has("application/problem+json"))
                                .as("%s %s %s is a problem", op.getKey(), path.getKey(), response.getKey()).isTrue();
                    }
                });
            }
        }));
    }

    /**
     * Every member a problem answer carries beyond RFC 9457's ({@code ProblemDetail.setProperty} across the API) is in the
     * Problem schema, typed, so a generated client reads a failed rollout's {@code document} and {@code deployment}.
     */
    @Test
    void theProblemSchemaDescribesEveryMemberTheAnswersCarry() {
        JsonNode properties = served.path("components").path("schemas").path("Problem").path("properties");
        assertThat(properties.propertyNames()).contains("errors", "moreErrors", "resourceVersion", "reason", "deployment", "document",
                "failingReplicas", "warnings", "atomic");
        assertThat(served.path("components").path("schemas").path("Problem").path("type").asString()).isEqualTo("object");
        assertThat(properties.path("status").path("type").asString()).as("typed as OpenAPI 3.1 writes it").isEqualTo("integer");
        assertThat(properties.path("errors").path("type").asString()).isEqualTo("array");
        assertThat(properties.path("errors").path("items").path("properties").path("field").path("type").asString()).isEqualTo("string");
        assertThat(properties.path("document").path("type").asString()).isEqualTo("integer");
        assertThat(properties.path("moreErrors").path("type").asString()).isEqualTo("integer");
        assertThat(properties.path("moreErrors").path("description").asString()).contains("more values of the wrong type");
        assertThat(served.path("components").path("schemas").path("Problem").path("required").isMissingNode())
                .as("every member beyond status is optional").isTrue();
        assertThat(properties.path("document").path("description").asString()).contains("counted from 0", "Secret documents included");
        assertThat(properties.path("deployment").path("$ref").asString()).isEqualTo("#/components/schemas/Deployment");
        assertThat(properties.path("failingReplicas").path("items").path("$ref").asString()).isEqualTo("#/components/schemas/Replica");
        assertThat(properties.path("warnings").path("items").path("$ref").asString()).isEqualTo("#/components/schemas/Event");
        assertThat(properties.path("atomic").path("properties").propertyNames()).containsExactlyInAnyOrder("action", "revision");
    }

    /** An audit entry's {@code written} is not a second answer, and its {@code requestId} is one request's: the document says so. */
    @Test
    void theAuditEntrysWrittenAndRequestIdAreDescribed() {
        JsonNode written = served.path("components").path("schemas").path("AuditEntry").path("properties").path("written");
        assertThat(written.path("type").asString()).isEqualTo("integer");
        assertThat(written.path("description").asString()).contains("the write itself", "the write stays");
        JsonNode requestId = served.path("components").path("schemas").path("AuditEntry").path("properties").path("requestId");
        assertThat(requestId.path("type").asString()).isEqualTo("string");
        assertThat(requestId.path("description").asString()).contains("X-Request-Id", "the same in every entry it wrote");
    }

    @Test
    void theAnswersThatShowOneDeploymentOrSecretDeclareTheirETag() {
        JsonNode paths = served.path("paths");
        String deployment = "/api/v1/namespaces/{namespace}/deployments/{name}";
        assertThat(paths.path(deployment).path("get").path("responses").path("200").path("headers").has("ETag")).isTrue();
        assertThat(paths.path(deployment).path("put").path("responses").path("200").path("headers").has("ETag")).isTrue();
        assertThat(paths.path(deployment + "/scale").path("put").path("responses").path("200").path("headers").has("ETag")).isTrue();
        assertThat(paths.path(deployment + "/rollout").path("get").path("responses").path("200").path("headers").has("ETag")).isTrue();
        assertThat(paths.path("/api/v1/namespaces/{namespace}/secrets/{name}").path("get").path("responses").path("200")
                .path("headers").has("ETag")).isTrue();
        assertThat(paths.path(deployment + "/revisions").path("get").path("responses").path("200").path("headers").has("ETag")).isFalse();
        assertThat(paths.path(deployment).path("delete").path("responses").path("204").path("headers").has("ETag")).isFalse();
    }

    @Test
    void theAdminsChangesAndDeleteOfANodeDeclareIfMatchIts412AndTheNodesETag() {
        JsonNode paths = served.path("paths");
        String node = "/api/v1/nodes/{name}";
        assertThat(paths.path(node).path("get").path("responses").path("200").path("headers").has("ETag")).isTrue();
        for (String path : List.of(node + "/labels", node + "/address")) {
            JsonNode put = paths.path(path).path("put");
            assertThat(put.path("parameters").valueStream().map(p -> p.path("in").asString() + " " + p.path("name").asString()).toList())
                    .as(path).contains("header If-Match");
            assertThat(put.path("responses").has("412")).as(path).isTrue();
            assertThat(put.path("responses").path("200").path("headers").has("ETag")).as(path).isTrue();
        }
        assertThat(paths.path("/api/v1/nodes").path("get").path("responses").path("200").path("headers").has("ETag")).isFalse();
        JsonNode delete = paths.path(node).path("delete");
        assertThat(delete.path("parameters").valueStream().map(p -> p.path("in").asString() + " " + p.path("name").asString()).toList())
                .as("DELETE " + node).contains("header If-Match");
        assertThat(delete.path("responses").has("412")).as("DELETE " + node).isTrue();
    }

    /**
     * A {@code PUT} of one deployment or secret answers 201 when it creates it, and so does its dry run: a client
     * generated from the document must find that answer declared, with the body and {@code ETag} of the 200.
     */
    @Test
    void aPutThatCreatesDeclaresIts201WithTheBodyOfIts200() {
        JsonNode paths = served.path("paths");
        String deployment = "/api/v1/namespaces/{namespace}/deployments/{name}";
        for (String path : List.of(deployment, "/api/v1/namespaces/{namespace}/secrets/{name}")) {
            JsonNode responses = paths.path(path).path("put").path("responses");
            assertThat(responses.has("201")).as("PUT %s declares 201", path).isTrue();
            assertThat(responses.path("201").path("content")).as(path).isEqualTo(responses.path("200").path("content"));
            assertThat(responses.path("201").path("headers").has("ETag")).as(path).isTrue();
        }
        assertThat(paths.path(deployment + "/scale").path("put").path("responses").has("201")).as("a scale creates nothing").isFalse();
    }

    @Test
    void theReadOfOneSecretDeclaresIfNoneMatchAndIts304WithTheETagAndNoOtherReadDoes() {
        JsonNode paths = served.path("paths");
        JsonNode get = paths.path("/api/v1/namespaces/{namespace}/secrets/{name}").path("get");
        assertThat(get.path("parameters").valueStream().map(p -> p.path("in").asString() + " " + p.path("name").asString()).toList())
                .contains("header If-None-Match");
        assertThat(get.path("responses").path("304").path("headers").has("ETag")).isTrue();
        assertThat(get.path("responses").path("304").has("content")).isFalse();
        for (String path : List.of("/api/v1/namespaces/{namespace}/deployments/{name}", "/api/v1/namespaces/{namespace}/deployments")) {
            JsonNode read = paths.path(path).path("get");
            assertThat(read.path("parameters").valueStream().map(p -> p.path("name").asString()).toList()).as(path)
                    .doesNotContain("If-None-Match");
            assertThat(read.path("responses").has("304")).as(path).isFalse();
        }
    }

    @Test
    void everyWriteOfOneObjectDeclaresItsDryRunWithItsOneValue() {
        JsonNode paths = served.path("paths");
        String deployment = "/api/v1/namespaces/{namespace}/deployments/{name}";
        String secret = "/api/v1/namespaces/{namespace}/secrets/{name}";
        List<JsonNode> writes = List.of(paths.path(deployment).path("put"), paths.path(deployment).path("delete"),
                paths.path(deployment + "/scale").path("put"), paths.path(deployment + "/rollback").path("post"),
                paths.path(secret).path("put"), paths.path(secret).path("delete"), paths.path("/api/v1/apply").path("post"));
        assertThat(writes).allSatisfy(write -> assertThat(write.path("parameters").valueStream()
                        .filter(p -> p.path("name").asString().equals("dryRun")).map(p -> p.path("in").asString() + " "
                                + p.path("schema").path("enum")).toList())
                .containsExactly("query [\"All\"]"));
        assertThat(paths.path("/api/v1/tokens").path("post").path("parameters").valueStream()
                .map(p -> p.path("name").asString()).toList()).doesNotContain("dryRun");
    }

    @Test
    void theServedDocumentIsTheCommittedOne() throws Exception {
        assertThat(Files.exists(COMMITTED)).as("docs/openapi.json exists (regenerate: see this class's comment)").isTrue();
        JsonNode committed = JSON.readTree(Files.readString(COMMITTED));
        assertThat(served).as("docs/openapi.json is out of date: regenerate it as this class's comment says").isEqualTo(committed);
    }
}
