package dev.nanolet.e2e;

import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.Event;
import dev.nanolet.wire.LogLine;
import dev.nanolet.wire.ModuleInfo;
import dev.nanolet.wire.EvictionStatus;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ScaleRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import dev.nanolet.wire.IssuedToken;
import dev.nanolet.wire.TokenRequest;
import tools.jackson.databind.json.JsonMapper;

/** The public REST API as a CI pipeline uses it: real HTTP, the admin token, wire records. */
final class ApiClient {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this.base = base + "/api/v1";
        this.token = token;
    }

    ModuleInfo upload(Path wasm) {
        String name = wasm.getFileName().toString().replace(".wasm", "");
        return send(request("/modules?name=" + name).header("Content-Type", "application/wasm")
                .POST(bodyOf(wasm)), new TypeReference<>() {});
    }

    Deployment apply(String ns, String name, DeploymentSpec spec) {
        return send(json(deployment(ns, name)).PUT(body(spec)), new TypeReference<>() {});
    }

    /** Creates or replaces a secret (its values are write-only). */
    void putSecret(String ns, String name, java.util.Map<String, String> data) {
        HttpResponse<String> r = send(json("/namespaces/" + ns + "/secrets/" + name).PUT(body(java.util.Map.of("data", data))).build());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("PUT secret " + name + " -> " + r.statusCode() + " " + r.body());
        }
    }

    Deployment scale(String ns, String name, int replicas) {
        return send(json(deployment(ns, name) + "/scale").PUT(body(new ScaleRequest(replicas))), new TypeReference<>() {});
    }

    Deployment get(String ns, String name) {
        return send(request(deployment(ns, name)).GET(), new TypeReference<>() {});
    }

    /** The live deployments of {@code ns}. */
    List<Deployment> list(String ns) {
        return send(request("/namespaces/" + ns + "/deployments").GET(), new TypeReference<>() {});
    }

    boolean exists(String ns, String name) {
        int status = send(request(deployment(ns, name)).GET().build()).statusCode();
        if (status != 200 && status != 404) {
            throw new IllegalStateException("GET " + deployment(ns, name) + " -> " + status);
        }
        return status == 200;
    }

    /** Deletes the deployment; answers the HTTP status. */
    int delete(String ns, String name) {
        return send(request(deployment(ns, name)).DELETE().build()).statusCode();
    }

    List<Replica> replicas(String ns, String name) {
        return send(request(deployment(ns, name) + "/replicas").GET(), new TypeReference<>() {});
    }

    List<Event> events(String ns, String name) {
        return send(request(deployment(ns, name) + "/events").GET(), new TypeReference<>() {});
    }

    /** The deployment's last {@code tail} log lines, as its nodes stamped them (the SSE stream without follow). */
    List<LogLine> logs(String ns, String name, int tail) {
        HttpRequest request = request(deployment(ns, name) + "/logs?tail=" + tail).GET().build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + request.uri() + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body().lines().filter(l -> l.startsWith("data:"))
                .map(l -> JSON.readValue(l.substring("data:".length()), LogLine.class)).toList();
    }

    /** Creates an API token (as the admin); answers its secret. */
    String createToken(TokenRequest request) {
        return send(json("/tokens").POST(body(request)), new TypeReference<IssuedToken>() {}).token();
    }

    List<NodeInfo> nodes() {
        return send(request("/nodes").GET(), new TypeReference<>() {});
    }

    /** Whether evictions are paused now ({@code GET /evictions}). */
    EvictionStatus evictions() {
        return send(request("/evictions").GET(), new TypeReference<>() {});
    }

    private static String deployment(String ns, String name) {
        return "/namespaces/" + ns + "/deployments/" + name;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    private HttpRequest.Builder json(String path) {
        return request(path).header("Content-Type", "application/json");
    }

    private static HttpRequest.BodyPublisher body(Object value) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(value));
    }

    private static HttpRequest.BodyPublisher bodyOf(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T send(HttpRequest.Builder builder, TypeReference<T> type) {
        HttpRequest request = builder.build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " -> "
                    + response.statusCode() + " " + response.body());
        }
        return JSON.readValue(response.body(), type);
    }

    /** A plain GET of any URL, for data-plane requests. */
    static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
