package dev.nanolet.platform;

import dev.nanolet.platform.ApiClient.Response;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * What the API tests that work in a namespace of their own share: the API as admin ({@link #admin}),
 * a fresh namespace for each test ({@link #ns}, named after the test class) and the digest of the
 * uploaded {@code hello.wasm} ({@link #module}) to deploy there; manifests are sent with {@link #post}.
 * A subclass is a {@link PlatformApiTest}.
 */
public abstract class NamespaceTestBase {
    protected static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @LocalServerPort
    protected int port;
    protected ApiClient admin;
    protected String ns;
    protected String module;

    @BeforeEach
    void openNamespace() {
        admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        String prefix = getClass().getSimpleName().replace("Test", "").toLowerCase(Locale.ROOT);
        ns = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        module = admin.upload("hello.wasm");
    }

    /** The API as a new token that holds {@code role} in {@code namespace} and nothing else. */
    protected ApiClient withGrant(String role, String namespace) {
        Response r = admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"" + role + "-" + namespace
                + "\",\"grants\":[{\"role\":\"" + role + "\",\"namespace\":\"" + namespace + "\"}]}");
        if (r.status() != 201) {
            throw new IllegalStateException("cannot create a token: " + r);
        }
        return admin.as(r.json().path("token").asString());
    }

    /** A YAML manifest sent as {@code as} to {@code path}: {@code /api/v1/apply} or {@code /api/v1/diff}, with a query. */
    protected static Response post(ApiClient as, String path, String yaml) {
        return as.send(HttpMethod.POST, path, YAML, yaml.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
