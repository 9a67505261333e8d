package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * The bearer filter judges a request by the path as {@link org.springframework.web.util.UrlPathHelper} decodes it, Spring
 * MVC maps it by its own parse of the raw path: a spelling the two read differently (dot segments, {@code ;} path
 * parameters, encoded dots or slashes, a NUL) must never let a token of one namespace reach another's objects. Sent
 * raw, as a browser or HTTP library would normalise them first.
 */
@PlatformApiTest
class NamespacePathSpellingTest extends NamespaceTestBase {
    @Test
    void noSpellingOfAPathReachesAnotherNamespaceThroughATokenOfOne() throws IOException {
        String other = "other-" + ns;
        String spec = "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + other + "\"},\"replicas\":1}";
        assertThat(admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + other + "/deployments/hidden", spec).status()).isEqualTo(201);
        String token = tokenWith("admin", ns);

        for (String path : new String[] {
                "/api/v1/namespaces/" + ns + "/../" + other + "/deployments",
                "/api/v1/namespaces/" + ns + "/..;/" + other + "/deployments",
                "/api/v1/namespaces/" + ns + ";/../" + other + "/deployments",
                "/api/v1/namespaces/" + ns + "/%2e%2e/" + other + "/deployments",
                "/api/v1/namespaces/" + ns + "/./../" + other + "/deployments",
                "/api/v1/namespaces/" + ns + "/deployments/..;/..;/" + other + "/deployments",
                "/api/v1/namespaces/" + ns + "%2f..%2f" + other + "/deployments",
                "/api/v1/namespaces/" + other + ";" + ns + "/deployments",
                "/api/v1//namespaces/" + other + "/deployments",
                "/api/v1/namespaces/" + ns + "%00/../" + other + "/deployments"}) {
            String answer = raw(path, token);
            assertThat(answer).as(path).matches("HTTP/1\\.1 (400|403|404) .*").doesNotContain("hidden");
        }
    }

    private String tokenWith(String role, String namespace) {
        return admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"spelling\",\"grants\":[{\"role\":\"" + role
                + "\",\"namespace\":\"" + namespace + "\"}]}").json().path("token").asString();
    }

    private String raw(String path, String token) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", " ");
        }
    }
}
