package dev.nanolet.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against a test's platform-api, never throwing on 4xx/5xx so tests assert on them. */
public final class ApiClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final String token;
    private final RestClient client = RestClient.create();

    public ApiClient(int port, String token) {
        this.base = "http://localhost:" + port;
        this.token = token;
    }

    /** Another client for the same server with another token ({@code null}: none). */
    public ApiClient as(String otherToken) {
        return new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherToken);
    }

    public Response get(String path) {
        return send(HttpMethod.GET, path, null, null, Map.of());
    }

    public Response get(String path, Map<String, String> headers) {
        return send(HttpMethod.GET, path, null, null, headers);
    }

    public Response delete(String path) {
        return send(HttpMethod.DELETE, path, null, null, Map.of());
    }

    /** PUT/POST with a JSON body given as text (so malformed JSON can be sent too). */
    public Response json(HttpMethod method, String path, String body) {
        return send(method, path, MediaType.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public Response send(HttpMethod method, String path, MediaType type, byte[] body, Map<String, String> headers) {
        RestClient.RequestBodySpec request = client.method(method).uri(URI.create(base + path));
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        headers.forEach(request::header);
        if (type != null) {
            request.contentType(type);
        }
        if (body != null) {
            request.body(body);
        }
        return request.exchange((req, res) -> new Response(res.getStatusCode().value(), res.getHeaders(),
                res.getBody().readAllBytes()));
    }

    /** Uploads the fixture {@code name} ({@link #wasm}) and answers its digest. */
    public String upload(String name) {
        return send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("application/wasm"), wasm(name), Map.of())
                .json().path("digest").asString();
    }

    /** A fixture from {@code src/test/resources/wasm}. */
    public static byte[] wasm(String name) {
        try {
            return Files.readAllBytes(Path.of("src/test/resources/wasm", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code module} with a custom section of random bytes appended: still valid, but with a
     * digest no other test uses.
     */
    public static byte[] unique(byte[] module) {
        byte[] name = "nanolet-test".getBytes(StandardCharsets.UTF_8);
        byte[] salt = java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(module);
        out.write(0);
        out.write(1 + name.length + salt.length);
        out.write(name.length);
        out.writeBytes(name);
        out.writeBytes(salt);
        return out.toByteArray();
    }

    /**
     * The answer to {@code requestLine} with {@code headers} (each ending in CRLF), sent as ISO-8859-1 bytes with the
     * admin's token over a socket of its own: what no HTTP client sends (a NUL, a control character, a byte that is no
     * ASCII in a header).
     */
    public static String raw(int port, String requestLine, String headers) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer "
                    + PlatformApiTest.ADMIN_TOKEN + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Status, headers and raw body of an answer. */
    public record Response(int status, HttpHeaders headers, byte[] bytes) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(bytes);
        }

        /** The {@code field} names of a problem's {@code errors}. */
        public java.util.List<String> errorFields() {
            return json().path("errors").valueStream().map(e -> e.path("field").asString()).toList();
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }
}
