package dev.nanolet.e2e;

import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ModuleInfo;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Replica;
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
import tools.jackson.databind.json.JsonMapper;

/** The public REST API as a CI pipeline uses it: real HTTP, the admin token, wire records. */
final class ApiClient {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this.base = base + "/api/v1";
        this.token = token;
    }

    ModuleInfo upload(Path wasm) {
        return send(request("/modules?name=" + wasm.getFileName()).header("Content-Type", "application/wasm")
                .POST(bodyOf(wasm)), new TypeReference<>() {});
    }

    Deployment apply(String ns, String name, DeploymentSpec spec) {
        return send(request("/namespaces/" + ns + "/deployments/" + name).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(spec))), new TypeReference<>() {});
    }

    Deployment deployment(String ns, String name) {
        return send(request("/namespaces/" + ns + "/deployments/" + name).GET(), new TypeReference<>() {});
    }

    List<Replica> replicas(String ns, String name) {
        return send(request("/namespaces/" + ns + "/deployments/" + name + "/replicas").GET(), new TypeReference<>() {});
    }

    List<NodeInfo> nodes() {
        return send(request("/nodes").GET(), new TypeReference<>() {});
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    private static HttpRequest.BodyPublisher bodyOf(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T send(HttpRequest.Builder request, TypeReference<T> type) {
        HttpResponse<String> response = get(request.build());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " -> "
                    + response.statusCode() + " " + response.body());
        }
        return JSON.readValue(response.body(), type);
    }

    /** A plain GET of any URL, for data-plane requests. */
    static HttpResponse<String> get(String url) {
        return get(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private static HttpResponse<String> get(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
