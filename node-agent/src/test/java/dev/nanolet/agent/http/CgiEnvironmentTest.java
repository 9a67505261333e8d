package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.CgiVariables;
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
        var env = CgiEnvironment.of(request("/api/items/7", "q=1&r=%20", 5), "/api");
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
                .containsEntry("HTTP_X_TRACE_ID", "a, b")
                .doesNotContainKeys("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH");
    }

    @Test
    void headersBecomeHttpVariablesExceptTheOnesThatWouldMislead() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-length", List.of("5"));
        headers.put("x-lower-case", List.of("v"));
        headers.put("Cookie", List.of("a=1", "b=2"));
        headers.put("Proxy", List.of("http://evil.test"));
        headers.put("X_Forwarded_For", List.of("1.2.3.4"));
        headers.put("Authorization", List.of("Bearer t"));
        var req = new CgiEnvironment.Request("GET", "/a", null, headers, "10.0.0.7", "h", 80, 0);
        assertThat(CgiEnvironment.of(req, "/a"))
                .containsEntry("HTTP_X_LOWER_CASE", "v")
                .containsEntry("HTTP_COOKIE", "a=1; b=2")
                .containsEntry("HTTP_AUTHORIZATION", "Bearer t")
                .doesNotContainKeys("HTTP_CONTENT_LENGTH", "HTTP_PROXY", "HTTP_X_FORWARDED_FOR", "CONTENT_LENGTH");
    }

    /** Fields the client meant for the node alone: proxy credentials, and what its {@code Connection} names. */
    @Test
    void hopByHopFieldsNeverReachTheGuest() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("connection", List.of("close, X-Secret", "keep-alive"));
        headers.put("x-secret", List.of("s"));
        headers.put("Proxy-Authorization", List.of("Basic eDp5"));
        headers.put("Keep-Alive", List.of("timeout=5"));
        headers.put("TE", List.of("trailers"));
        headers.put("X-Kept", List.of("k"));
        var req = new CgiEnvironment.Request("GET", "/a", null, headers, "10.0.0.7", "h", 80, 0);
        assertThat(CgiEnvironment.of(req, "/a")).containsEntry("HTTP_X_KEPT", "k")
                .doesNotContainKeys("HTTP_CONNECTION", "HTTP_X_SECRET", "HTTP_PROXY_AUTHORIZATION", "HTTP_KEEP_ALIVE", "HTTP_TE");
    }

    /** platform-api refuses these names in a deployment's env: every variable set here must be one of them. */
    @Test
    void everyVariableIsOneThatCgiVariablesNames() {
        assertThat(CgiEnvironment.of(request("/api/x", "q=1", 5), "/api").keySet()).allMatch(CgiVariables::isPerRequest);
        assertThat(CgiVariables.isPerRequest("GREETING")).isFalse();
    }

    @Test
    void pathInfoIsDecodedAndEmptyForTheRouteItselfWhileTheQueryStaysRaw() {
        assertThat(CgiEnvironment.of(request("/api", "a=%41+b", 0), "/api"))
                .containsEntry("PATH_INFO", "").containsEntry("QUERY_STRING", "a=%41+b")
                .containsEntry("REQUEST_URI", "/api?a=%41+b");
        assertThat(CgiEnvironment.of(request("/api/", null, 0), "/api")).containsEntry("PATH_INFO", "/");
        assertThat(CgiEnvironment.of(request("/api/a%20b/%C3%A9", null, 0), "/api"))
                .containsEntry("PATH_INFO", "/a b/\u00e9").containsEntry("REQUEST_URI", "/api/a%20b/%C3%A9");
        assertThat(CgiEnvironment.of(request("/api/100%", null, 0), "/api")).containsEntry("PATH_INFO", "/100%");
    }

    @Test
    void serverNameAndPortComeFromTheHostHeader() {
        assertThat(CgiEnvironment.serverName("example.test:8080")).isEqualTo("example.test");
        assertThat(CgiEnvironment.serverPort("example.test:8080", 8181)).isEqualTo(8080);
        assertThat(CgiEnvironment.serverName("example.test")).isEqualTo("example.test");
        assertThat(CgiEnvironment.serverPort("example.test", 8181)).isEqualTo(8181);
        assertThat(CgiEnvironment.serverName("[::1]:9000")).isEqualTo("[::1]");
        assertThat(CgiEnvironment.serverPort("[::1]", 8181)).isEqualTo(8181);
        assertThat(CgiEnvironment.serverName(null)).isEqualTo("localhost");
    }

    /**
     * A port outside 1–65535 is no port: the module is never told SERVER_PORT=0 (nor 99999, which the node refuses before).
     * SERVER_NAME is the name without it either way, where {@code Host: example.test:0} made it {@code example.test:0}.
     */
    @Test
    void aHostPortOutsideTheTcpRangeNamesNoPort() {
        for (String host : List.of("example.test:99999", "example.test:65536", "example.test:0", "example.test:00000", "example.test:x")) {
            assertThat(CgiEnvironment.serverPort(host, 8181)).as(host).isEqualTo(8181);
            assertThat(CgiEnvironment.serverName(host)).as(host).isEqualTo("example.test");
        }
        assertThat(CgiEnvironment.serverPort("example.test:65535", 8181)).isEqualTo(65535);
        assertThat(CgiEnvironment.serverPort("example.test:1", 8181)).isEqualTo(1);
        assertThat(CgiEnvironment.serverName("example.test:65535")).isEqualTo("example.test");
        assertThat(CgiEnvironment.serverName("[::1]:0")).isEqualTo("[::1]");
        assertThat(CgiEnvironment.serverPort("[::1]:0", 8181)).isEqualTo(8181);
        assertThat(CgiEnvironment.serverPort("[::1]:65535", 8181)).isEqualTo(65535);
        assertThat(CgiEnvironment.serverPort("example.test:000080", 8181)).as("leading zeros, as the node's Host check lets by").isEqualTo(80);
    }

    @Test
    void rootRouteHasAnEmptyScriptNameAndNoBodyNoContentLength() {
        var env = CgiEnvironment.of(request("/x", null, 0), "/");
        assertThat(env).containsEntry("SCRIPT_NAME", "").containsEntry("PATH_INFO", "/x")
                .containsEntry("QUERY_STRING", "").containsEntry("REQUEST_METHOD", "POST")
                .doesNotContainKey("CONTENT_LENGTH");
    }
}
