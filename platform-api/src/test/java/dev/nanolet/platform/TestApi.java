package dev.nanolet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against a test's platform-api, as an admin or as a node. */
public final class TestApi {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final JsonMapper json;

    public TestApi(int port, JsonMapper json) {
        this.base = "http://localhost:" + port;
        this.json = json;
    }

    /** Status and body of one exchange. */
    public record Response(int status, String body) {}

    public String url(String path) {
        return base + path;
    }

    public Response admin(String method, String path, Object body) {
        return send(method, path, body, PlatformApiTest.ADMIN_TOKEN);
    }

    public Response node(String method, String path, Object body) {
        return send(method, path, body, PlatformApiTest.NODE_TOKEN);
    }

    public <T> T get(String path, Class<T> type) {
        Response r = admin("GET", path, null);
        assertThat(r.status()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return json.readValue(r.body(), type);
    }

    public <T> T get(String path, TypeReference<T> type) {
        Response r = admin("GET", path, null);
        assertThat(r.status()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return json.readValue(r.body(), type);
    }

    public NodeInfo register(String name, Map<String, String> labels, int instances, int memoryMiB) {
        Response r = node("POST", "/api/v1/nodes",
                new NodeRegistration(name, labels, new NodeRegistration.Capacity(instances, memoryMiB), "http://" + name + ":8181"));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return json.readValue(r.body(), NodeInfo.class);
    }

    public Response report(String node, UUID replica, ReplicaPhase phase) {
        return node("PUT", "/api/v1/nodes/" + node + "/replicas/" + replica + "/status",
                new ReplicaStatusReport(phase, null, null, null));
    }

    private Response send(String method, String path, Object body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : json.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
