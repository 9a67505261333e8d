package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.NodeUsage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/** Request bodies are capped (413 problem+json) and every list a node sends is bounded (422 naming it). */
@PlatformApiTest
class BodyLimitTest {
    @LocalServerPort int port;
    @Autowired JsonMapper json;

    private static String huge(int bytes) {
        return "{\"type\":\"Warning\",\"reason\":\"Trap\",\"message\":\"" + "a".repeat(bytes) + "\"}";
    }

    private HttpResponse<String> send(String path, HttpRequest.BodyPublisher body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + PlatformApiTest.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .PUT(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyOverTheLimitIs413WhetherDeclaredOrChunked() throws Exception {
        String body = huge(1_200_000);
        HttpResponse<String> declared = send("/api/v1/nodes/any/lease", HttpRequest.BodyPublishers.ofString(body));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(declared.body()).contains("nanolet.api.max-body-size");

        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = send("/api/v1/namespaces/default/deployments/big",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(chunked.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void listsAndStringsANodeSendsAreBounded() {
        TestApi api = new TestApi(port, json);
        api.register("bounded-1", Map.of(), 4, 512);
        NodeUsage flood = new NodeUsage(IntStream.range(0, 1001)
                .mapToObj(i -> new NodeUsage.DeploymentMetrics("default", "d" + i, 1, 0, 1, 1)).toList());
        TestApi.Response usage = api.node("PUT", "/api/v1/nodes/bounded-1/lease", flood);
        assertThat(usage.status()).as(usage.body()).isEqualTo(422);
        assertThat(usage.body()).contains("\"field\":\"deployments\"");
        TestApi.Response negative = api.node("PUT", "/api/v1/nodes/bounded-1/lease",
                new NodeUsage(List.of(new NodeUsage.DeploymentMetrics("default", "d", -1, 0, 1, 1))));
        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.body()).contains("deployments[0]");
        TestApi.Response bindingFlood = api.node("PUT", "/api/v1/nodes/bounded-1/lease", new NodeUsage(List.of(), IntStream.range(0, 1001)
                .mapToObj(i -> new NodeUsage.BindingMetrics("default", "d", "b" + i, 1, 0, 1)).toList()));
        assertThat(bindingFlood.status()).as(bindingFlood.body()).isEqualTo(422);
        assertThat(bindingFlood.body()).contains("\"field\":\"bindings\"");
        TestApi.Response badBindings = api.node("PUT", "/api/v1/nodes/bounded-1/lease", new NodeUsage(List.of(), List.of(
                new NodeUsage.BindingMetrics("default", "d", "DROP TABLE", 1, 0, 1),
                new NodeUsage.BindingMetrics("default", "d", "db", 1, 2, 1),
                new NodeUsage.BindingMetrics("default", "d", "db", 1, 0, Double.NaN))));
        assertThat(badBindings.status()).isEqualTo(422);
        assertThat(badBindings.body()).contains("bindings[0]").contains("bindings[1]").contains("bindings[2]")
                .doesNotContain("DROP TABLE");

        Map<String, String> labels = new HashMap<>();
        IntStream.range(0, 65).forEach(i -> labels.put("k" + i, "v"));
        TestApi.Response tooMany = api.bootstrap("POST", "/api/v1/nodes",
                new NodeRegistration("bounded-2", labels, new NodeRegistration.Capacity(1, 1), "http://bounded-2:8181"));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.body()).contains("\"field\":\"labels\"");

        TestApi.Response longMessage = api.node("POST", "/api/v1/nodes/bounded-1/replicas/" + UUID.randomUUID() + "/events",
                Map.of("type", "Warning", "reason", "Trap", "message", "m".repeat(5000)));
        assertThat(longMessage.status()).isEqualTo(422);
        assertThat(longMessage.body()).contains("\"field\":\"message\"");
    }
}
