package dev.nanolet.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.TestPropertySource;

/** A platform-api without NANOLET_SECRETS_KEY starts, reads metadata, and answers writes 503 saying how to configure it. */
@PlatformApiTest
@TestPropertySource(properties = "nanolet.secrets.key=")
class SecretsWithoutKeyTest {
    @LocalServerPort int port;

    @Test
    void writesAnswer503NamingTheSetting() {
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        Response r = admin.json(HttpMethod.PUT, "/api/v1/namespaces/nokey/secrets/db", "{\"data\":{\"password\":\"x\"}}");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(r.json().path("detail").asString()).contains("NANOLET_SECRETS_KEY").contains("openssl rand -base64 32");
        assertThat(admin.json(HttpMethod.PUT, "/api/v1/namespaces/nokey/secrets/db?dryRun=All", "{\"data\":{\"password\":\"x\"}}")
                .status()).as("a dry run answers as the write would").isEqualTo(503);
        assertThat(admin.get("/api/v1/namespaces/nokey/secrets").status()).isEqualTo(200);
        assertThat(admin.json(HttpMethod.POST, "/api/v1/secrets:rotate", "{}").status()).isEqualTo(503);
    }
}
