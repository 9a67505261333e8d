package dev.nanolet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.NodeCredential;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against a test's platform-api, as an admin or as a node (with the credentials it was issued). */
public final class TestApi {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final JsonMapper json;
    private final Map<String, String> credentials;

    /** Node credentials issued by the platform-api on each port (tests of one context share it and its database). */
    private static final Map<Integer, Map<String, String>> ISSUED = new ConcurrentHashMap<>();

    public TestApi(int port, JsonMapper json) {
        this(port, json, ISSUED.computeIfAbsent(port, p -> new ConcurrentHashMap<>()));
    }

    private TestApi(int port, JsonMapper json, Map<String, String> credentials) {
        this.base = "http://localhost:" + port;
        this.json = json;
        this.credentials = credentials;
    }

    /** The same caller against another instance (on {@code port}), with the same node credentials. */
    public TestApi at(int port) {
        return new TestApi(port, json, credentials);
    }

    /** Status and body of one exchange. */
    public record Response(int status, String body) {}

    public String url(String path) {
        return base + path;
    }

    public Response admin(String method, String path, Object body) {
        return send(method, path, body, PlatformApiTest.ADMIN_TOKEN);
    }

    /**
     * As a node: with the credential this TestApi was issued for the node the path names
     * ({@code /api/v1/nodes/{name}/…}), else (registration) with the bootstrap token.
     */
    public Response node(String method, String path, Object body) {
        String[] s = path.split("[/?]");
        String token = s.length > 4 && s[3].equals("nodes") ? credentials.get(s[4]) : null;
        return send(method, path, body, token != null ? token : PlatformApiTest.NODE_TOKEN);
    }

    /** As the bootstrap token. */
    public Response bootstrap(String method, String path, Object body) {
        return send(method, path, body, PlatformApiTest.NODE_TOKEN);
    }

    /** With a given bearer token. */
    public Response as(String token, String method, String path, Object body) {
        return send(method, path, body, token);
    }

    /** The credential issued to {@code node} by {@link #register} or {@link #bootstrapRegister}. */
    public String credential(String node) {
        return credentials.get(node);
    }

    /** Registers with the bootstrap token and keeps the credential it answers (201 expected). */
    public NodeCredential bootstrapRegister(NodeRegistration registration) {
        Response r = bootstrap("POST", "/api/v1/nodes", registration);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        NodeCredential issued = json.readValue(r.body(), NodeCredential.class);
        credentials.put(issued.name(), issued.token());
        return issued;
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

    /** Registers (bootstrap) or re-registers (with the node's credential) at {@code http://<name>:8181}. */
    public NodeInfo register(String name, Map<String, String> labels, int instances, int memoryMiB) {
        NodeRegistration registration = new NodeRegistration(name, labels,
                new NodeRegistration.Capacity(instances, memoryMiB), "http://" + name + ":8181");
        if (credentials.containsKey(name)) {
            Response r = send("POST", "/api/v1/nodes", registration, credentials.get(name));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return json.readValue(r.body(), NodeInfo.class);
        }
        return bootstrapRegister(registration).node();
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
