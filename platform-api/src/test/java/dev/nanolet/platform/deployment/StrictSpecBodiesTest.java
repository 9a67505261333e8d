package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A user's write is read strictly (a typo is a 422, not a silent default); the node protocol stays tolerant. */
@PlatformApiTest
class StrictSpecBodiesTest {
    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    ApiClient api;
    String module;
    String path;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        module = api.upload("hello.wasm");
        path = "/api/v1/namespaces/strict/deployments/d-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(put("\"replicas\":2").status()).isEqualTo(201);
    }

    Response put(String fields) {
        return api.json(HttpMethod.PUT, path, "{\"module\":\"" + module + "\",\"job\":{}," + fields + "}");
    }

    @Test
    void unknownSpecFieldIs422NamingItsPathAndChangesNothing() {
        Response typo = put("\"replica\":3");
        Response nested = put("\"limits\":{\"memoryMib\":32}");

        assertThat(typo.status()).as(typo.body()).isEqualTo(422);
        assertThat(typo.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(typo.errorFields()).containsExactly("replica");
        assertThat(typo.json().path("errors").get(0).path("message").asString()).contains("replicas");
        assertThat(nested.status()).isEqualTo(422);
        assertThat(nested.errorFields()).containsExactly("limits.memoryMib");
        assertThat(nested.json().path("errors").get(0).path("message").asString()).contains("memoryMiB");
        JsonNode after = api.get(path).json();
        assertThat(after.path("generation").asLong()).isEqualTo(1);
        assertThat(after.path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void unknownScaleAndRollbackFieldsAre422() {
        Response scale = api.json(HttpMethod.PUT, path + "/scale", "{\"replicas\":3,\"replica\":4}");
        Response rollback = api.json(HttpMethod.POST, path + "/rollback", "{\"revision\":1,\"revison\":1}");

        assertThat(scale.status()).isEqualTo(422);
        assertThat(scale.errorFields()).containsExactly("replica");
        assertThat(rollback.status()).isEqualTo(422);
        assertThat(rollback.errorFields()).containsExactly("revison");
        assertThat(api.get(path).json().path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void fractionsAndNullArgsAreRefusedNotRounded() {
        Response fraction = put("\"replicas\":3.7");
        Response scale = api.json(HttpMethod.PUT, path + "/scale", "{\"replicas\":2.5}");
        Response nullArg = put("\"args\":[\"a\",null]");

        assertThat(fraction.status()).isEqualTo(400);
        assertThat(fraction.errorFields()).containsExactly("replicas");
        assertThat(scale.status()).isEqualTo(400);
        assertThat(scale.errorFields()).containsExactly("replicas");
        assertThat(nullArg.status()).as(nullArg.body()).isEqualTo(400);
        assertThat(nullArg.errorFields()).containsExactly("args[1]");
        assertThat(api.get(path).json().path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void theNodeProtocolStillIgnoresFieldsItDoesNotKnow() {
        TestApi nodes = new TestApi(port, json);
        TestApi.Response r = nodes.node("POST", "/api/v1/nodes", Map.of("name", "strict-n1", "labels", Map.of(),
                "capacity", Map.of("instances", 1, "memoryMiB", 64, "gpus", 2),
                "address", "http://strict-n1:8181", "agentVersion", "9.9"));

        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    @Test
    void aVolumeIsKeptInTheSpec() {
        Response updated = put("\"volumes\":[{\"name\":\"data\",\"mountPath\":\"/data\"}]");

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(api.get(path).json().path("spec").path("volumes").get(0).path("mountPath").asString()).isEqualTo("/data");
    }

    @Test
    void aBadVolumeIsRefusedNamingItsFieldAndChangesNothing() {
        Response escape = put("\"volumes\":[{\"name\":\"../../etc\",\"mountPath\":\"/data/../..\"}]");
        Response unknown = put("\"volumes\":[{\"name\":\"data\",\"mountPath\":\"/data\",\"hostPath\":\"/etc\"}]");
        Response nullEntry = put("\"volumes\":[null]");

        assertThat(escape.status()).isEqualTo(422);
        assertThat(escape.errorFields()).containsExactly("volumes[0].name", "volumes[0].mountPath");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.errorFields()).containsExactly("volumes[0].hostPath");
        assertThat(nullEntry.status()).as("a null entry is malformed, as in args").isEqualTo(400);
        assertThat(nullEntry.errorFields()).containsExactly("volumes[0]");
        assertThat(api.get(path).json().path("generation").asLong()).isEqualTo(1);
    }
}
