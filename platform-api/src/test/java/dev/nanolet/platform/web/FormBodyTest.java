package dev.nanolet.platform.web;

import static dev.nanolet.platform.web.ApiEdgeTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.mock.http.MockHttpOutputMessage;
import org.springframework.util.LinkedMultiValueMap;

/**
 * A form body is refused, 415, on every endpoint: Tomcat and Spring read its values as request parameters, so a
 * {@code secrets:rotate} with any form body ran the rotation, and a form could carry {@code dryRun=} the URL did not.
 */
@PlatformApiTest
class FormBodyTest {
    private static final String DEPLOYMENT = "/api/v1/namespaces/default/deployments/form";

    @LocalServerPort
    int port;

    @Test
    void aFormBodyIsRefusedOnEveryEndpointBeforeAnythingRuns() {
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        List<MediaType> types = List.of(MediaType.APPLICATION_FORM_URLENCODED,
                MediaType.parseMediaType("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
        for (MediaType type : types) {
            for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
                for (String url : List.of("/api/v1/secrets:rotate", DEPLOYMENT, DEPLOYMENT + "/rollback", "/api/v1/tokens",
                        "/api/v1/modules", "/api/v1/apply")) {
                    for (String body : List.of("dryRun=All", "x=%FF")) {
                        Response r = admin.send(method, url, type, body.getBytes(StandardCharsets.US_ASCII), Map.of());
                        assertProblem(r, 415);
                        assertThat(r.json().path("detail").asString()).as(method + " " + url + " " + type + " " + body)
                                .isEqualTo(FormBodyFilter.FORM);
                    }
                }
            }
        }
        assertThat(admin.get(DEPLOYMENT).status()).isEqualTo(404);
    }

    /** What {@code curl -X POST -d ''} sends: an empty form holds no value that could be read as a parameter. */
    @Test
    void anEmptyFormBodyIsNoBody() throws IOException {
        String plain = ApiClient.raw(port, "POST /api/v1/secrets:rotate", "Content-Length: 0\r\n");
        String emptyForm = ApiClient.raw(port, "POST /api/v1/secrets:rotate",
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n");
        assertThat(plain).startsWith("HTTP/1.1 200 ");
        assertThat(emptyForm).startsWith("HTTP/1.1 200 ");
        assertThat(ApiClient.raw(port, "GET /api/v1/audit?limit=1", "Content-Type: application/x-www-form-urlencoded\r\n"))
                .as("a GET's form type without a length or chunks: no body").startsWith("HTTP/1.1 200 ");
        String chunked = ApiClient.raw(port, "POST /api/v1/secrets:rotate",
                "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
        assertThat(chunked).as("a chunked form's length is not known before it is read").startsWith("HTTP/1.1 415 ");
    }

    @Test
    void aMultipartBodyIsRefusedWhereNoUploadIsTaken() {
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        for (String url : List.of("/api/v1/secrets:rotate", DEPLOYMENT + "/rollback", "/api/v1/tokens", "/api/v1/apply")) {
            Response r = multipart(admin, HttpMethod.POST, url, Map.of("dryRun", "All"));
            assertProblem(r, 415);
            assertThat(r.json().path("detail").asString()).as(url).isEqualTo(FormBodyFilter.MULTIPART);
        }
        assertProblem(multipart(admin, HttpMethod.PUT, DEPLOYMENT, Map.of("dryRun", "All")), 415);
        assertProblem(admin.send(HttpMethod.POST, "/api/v1/secrets:rotate", MediaType.parseMediaType("multipart/mixed; boundary=b"),
                "--b--\r\n".getBytes(StandardCharsets.US_ASCII), Map.of()), 415);
    }

    @Test
    void theModuleUploadStillTakesMultipartWithItsNamePart() {
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        Response r = multipart(admin, HttpMethod.POST, "/api/v1/modules",
                Map.of("file", ApiClient.unique(ApiClient.wasm("hello.wasm")), "name", "form-named"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("name").asString()).isEqualTo("form-named");
    }

    private static Response multipart(ApiClient client, HttpMethod method, String url, Map<String, Object> parts) {
        var form = new LinkedMultiValueMap<String, Object>();
        parts.forEach((name, value) -> form.add(name, value instanceof byte[] bytes ? new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return "m.wasm";
            }
        } : value));
        var message = new MockHttpOutputMessage();
        try {
            new FormHttpMessageConverter().write(form, MediaType.MULTIPART_FORM_DATA, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return client.send(method, url, message.getHeaders().getContentType(), message.getBodyAsBytes(), Map.of());
    }
}
