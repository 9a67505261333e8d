package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CgiEnvironmentTest {

    static CgiEnvironment.Request request(String path, String query, int length) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("text/plain"));
        headers.put("X-Trace-Id", List.of("a", "b"));
        return new CgiEnvironment.Request("POST", path, query, headers, "10.0.0.7", "example.test", 8181, length);
    }

    @Test
    void mapsTheRequestToRfc3875Variables() {
        var env = CgiEnvironment.of(request("/api/items/7", "q=1&r=%20", 5), "/api", Map.of("GREETING", "hi"));
        assertThat(env).containsEntry("REQUEST_METHOD", "POST")
                .containsEntry("SCRIPT_NAME", "/api")
                .containsEntry("PATH_INFO", "/items/7")
                .containsEntry("QUERY_STRING", "q=1&r=%20")
                .containsEntry("CONTENT_TYPE", "text/plain")
                .containsEntry("CONTENT_LENGTH", "5")
                .containsEntry("SERVER_NAME", "example.test")
                .containsEntry("SERVER_PORT", "8181")
                .containsEntry("SERVER_PROTOCOL", "HTTP/1.1")
                .containsEntry("REMOTE_ADDR", "10.0.0.7")
                .containsEntry("HTTP_CONTENT_TYPE", "text/plain")
                .containsEntry("HTTP_X_TRACE_ID", "a, b")
                .containsEntry("GREETING", "hi");
    }

    @Test
    void rootRouteHasAnEmptyScriptNameAndNoBodyNoContentLength() {
        var env = CgiEnvironment.of(request("/x", null, 0), "/", Map.of("REQUEST_METHOD", "spoofed"));
        assertThat(env).containsEntry("SCRIPT_NAME", "").containsEntry("PATH_INFO", "/x")
                .containsEntry("QUERY_STRING", "").containsEntry("REQUEST_METHOD", "POST")
                .doesNotContainKey("CONTENT_LENGTH");
    }

    @Test
    void routesMatchWholeSegmentsOnly() {
        assertThat(CgiEnvironment.matches("/hello", "/hello")).isTrue();
        assertThat(CgiEnvironment.matches("/hello", "/hello/x")).isTrue();
        assertThat(CgiEnvironment.matches("/hello", "/helloworld")).isFalse();
        assertThat(CgiEnvironment.matches("/", "/anything")).isTrue();
    }
}
