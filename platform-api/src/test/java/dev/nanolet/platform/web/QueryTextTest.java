package dev.nanolet.platform.web;

import static dev.nanolet.platform.web.ApiEdgeTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * A query parameter that holds a NUL or is not UTF-8 is 400 naming it, on every endpoint: {@code ?actor=%00} reached
 * PostgreSQL, which refused it ("invalid byte sequence for encoding UTF8: 0x00"), and {@code %FF}, {@code %C0%AF} or
 * {@code %ED%A0%80} made Tomcat's parameter parser throw: each was a 500.
 */
@PlatformApiTest
class QueryTextTest {
    private static final String MANIFEST = "kind: Deployment\nmetadata: {name: q, namespace: default, labels: {a: b}}\nspec: {module: q}\n";

    @LocalServerPort
    int port;

    @Test
    void aNulOrTextThatIsNotUtf8InAnyQueryParameterIs400NamingIt() {
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        Map<String, String> messages = Map.of("%00", QueryTextFilter.NUL, "a%00b", QueryTextFilter.NUL,
                "%FF", QueryTextFilter.NOT_UTF8, "%C0%AF", QueryTextFilter.NOT_UTF8, "%ED%A0%80", QueryTextFilter.NOT_UTF8,
                "x%ED%B0%80", QueryTextFilter.NOT_UTF8);
        List<Function<String, Response>> endpoints = List.of(
                bad -> admin.get("/api/v1/audit?actor=" + bad),
                bad -> admin.get("/api/v1/audit?limit=5&namespace=" + bad),
                bad -> admin.get("/api/v1/events?type=" + bad),
                bad -> admin.get("/api/v1/deployments?unread=" + bad),
                bad -> admin.json(HttpMethod.PUT, "/api/v1/namespaces/default/deployments/q?dryRun=" + bad, "{}"),
                bad -> admin.json(HttpMethod.PUT, "/api/v1/namespaces/default/deployments/q?wait=true&timeout=" + bad, "{}"),
                bad -> yaml(admin, "/api/v1/apply?prune=true&selector=a%3D" + bad),
                bad -> yaml(admin, "/api/v1/diff?prune=true&selector=a%3D" + bad),
                bad -> admin.send(HttpMethod.POST, "/api/v1/modules?name=" + bad, MediaType.parseMediaType("application/wasm"),
                        ApiClient.wasm("hello.wasm"), Map.of()));
        List<String> names = List.of("actor", "namespace", "type", "unread", "dryRun", "timeout", "selector", "selector", "name");
        messages.forEach((bad, message) -> {
            for (int i = 0; i < endpoints.size(); i++) {
                Response r = endpoints.get(i).apply(bad);
                assertProblem(r, 400);
                assertThat(r.errorFields()).as(names.get(i) + "=" + bad).containsExactly(names.get(i));
                assertThat(r.json().path("detail").asString()).as(bad).isEqualTo(names.get(i) + ": " + message);
            }
        });
    }

    /** Sent raw: {@link java.net.URI} refuses to send these. */
    @Test
    void aPercentThatStartsNoPercentEncodingIs400NamingTheParameter() throws IOException {
        for (String bad : List.of("%zz", "a%0", "%")) {
            assertThat(raw("GET /api/v1/audit?actor=" + bad, "")).as(bad).startsWith("HTTP/1.1 400 ").contains("application/problem+json")
                    .contains("\"errors\":[{\"field\":\"actor\",\"message\":\"" + QueryTextFilter.NOT_ENCODED);
        }
    }

    /** A pin, nothing was broken: Tomcat refuses these in a path or header before the API (400), text outside ASCII in a header is ISO-8859-1. */
    @Test
    void aNulOrTextThatIsNotUtf8InAPathOrHeaderNeverReachesTheDatabase() throws IOException {
        for (String bad : List.of("%00", "a%00b", "%FF", "%C0%AF", "%ED%A0%80")) {
            for (String path : List.of("/api/v1/namespaces/" + bad + "/deployments", "/api/v1/namespaces/default/deployments/" + bad,
                    "/api/v1/namespaces/default/secrets/" + bad, "/api/v1/nodes/" + bad, "/api/v1/tokens/" + bad, "/api/v1/modules/" + bad)) {
                assertThat(raw("GET " + path, "")).as(path).startsWith("HTTP/1.1 400 ").contains("application/problem+json");
            }
        }
        for (String header : List.of("If-Match: \"a\0\"", "Last-Event-ID: a\0", "X-Anything: \0")) {
            assertThat(raw("GET /api/v1/audit", header + "\r\n")).as(header).startsWith("HTTP/1.1 400 ").contains("application/problem+json");
        }
        assertThat(raw("GET /api/v1/audit", "X-Forwarded-For: a\u00ffb\r\n")).startsWith("HTTP/1.1 200 ");
        assertThat(raw("GET /api/v1/nodes/n1/assignments?watch=true", "Last-Event-ID: \u00ff\u00c0\r\n")).startsWith("HTTP/1.1 4"); // 404 unregistered, 410 a stale id
    }

    private String raw(String requestLine, String headers) throws IOException {
        return ApiClient.raw(port, requestLine, headers);
    }

    @Test
    void aParameterWhoseNameIsNotTextIsNamedAsSpelt() {
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        Response r = admin.get("/api/v1/audit?a%FFb=1");
        assertProblem(r, 400);
        assertThat(r.errorFields()).containsExactly("a%FFb");
        r = admin.get("/api/v1/audit?a%00b=1");
        assertProblem(r, 400);
        assertThat(r.errorFields()).containsExactly("a\0b");
        assertThat(r.json().path("detail").asString()).isEqualTo("a\0b: its name " + QueryTextFilter.NUL);
    }

    @Test
    void unicodeSpacesAndEmptyValuesAreReadAsBefore() {
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        for (String query : List.of("actor=Zo%C3%AB+%F0%9F%98%80", "actor=a%20b&namespace=%E6%97%A5%E6%9C%AC", "actor=&namespace=",
                "limit=5&&flag", "actor=%2B%26%3D%25")) {
            Response r = admin.get("/api/v1/audit?" + query);
            assertThat(r.status()).as(query + ": " + r.body()).isEqualTo(200);
        }
        Response upload = admin.send(HttpMethod.POST, "/api/v1/modules?name=Zo%C3%AB%20%F0%9F%98%80",
                MediaType.parseMediaType("application/wasm"), ApiClient.unique(ApiClient.wasm("hello.wasm")), Map.of());
        assertThat(upload.status()).as(upload.body()).isIn(200, 201);
        assertThat(upload.json().path("name").asString()).isEqualTo("Zoë 😀");
    }

    private static Response yaml(ApiClient admin, String url) {
        return admin.send(HttpMethod.POST, url, MediaType.parseMediaType("application/yaml"),
                MANIFEST.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
