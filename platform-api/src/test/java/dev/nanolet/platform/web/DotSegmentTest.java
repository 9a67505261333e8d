package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * A path with a {@code .}, {@code ..} or empty segment is 400, with a token or without, before the bearer filter or a
 * handler: Tomcat resolved such segments, the filters read them as they stand and the handlers matched them raw, so
 * {@code /api/v1/%2e%2e/%2e%2e/x} was a 401 naming {@code /api/v1/../../x} without a token and a 404 with one. Sent raw:
 * HTTP clients resolve dot segments before sending.
 */
@PlatformApiTest
class DotSegmentTest {
    @LocalServerPort
    int port;

    @Test
    void aDotOrEmptySegmentIs400BeforeTheTokenIsChecked() throws IOException {
        List<String> paths = List.of("/api/v1/%2e%2e/%2e%2e/x", "/api/v1/%2E%2e/audit", "/api/v1/./audit", "/api/v1/%2e/audit",
                "/api/v1/nodes/..;/audit", "/api/v1/audit/.", "//api/v1/audit", "/api//v1/audit", "/x/%2e%2e/api/v1/audit",
                "/actuator/health/%2e%2e/%2e%2e/api/v1/audit", "/api/v1/namespaces/ci/deployments/%2e%2e");
        ApiClient anonymous = new ApiClient(port, null);
        for (String path : paths) {
            String answer = ApiClient.raw(port, "GET " + path, "");
            assertThat(answer).as(path).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/problem+json")
                    .contains("\"detail\":\"" + DotSegmentFilter.REFUSED + "\"").contains("\"instance\":\"" + path + "\"");
            Response r = anonymous.send(HttpMethod.GET, path, null, null, Map.of());
            assertThat(r.status()).as("without a token: " + path).isEqualTo(400);
            assertThat(r.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void pathsWithDotsInsideASegmentATrailingSlashOrAPathParameterAreReadAsBefore() throws IOException {
        assertThat(ApiClient.raw(port, "GET /api/v1/audit;x", "")).startsWith("HTTP/1.1 200 ");
        assertThat(ApiClient.raw(port, "GET /api/v1/namespaces/ci/deployments/a..b", "")).startsWith("HTTP/1.1 404 ");
        assertThat(ApiClient.raw(port, "GET /api/v1/namespaces/ci/deployments/.x", "")).startsWith("HTTP/1.1 404 ");
        assertThat(ApiClient.raw(port, "GET /api/v1/audit/", "")).startsWith("HTTP/1.1 404 ");
        assertThat(ApiClient.raw(port, "GET /actuator/health", "")).startsWith("HTTP/1.1 200 ");
    }
}
