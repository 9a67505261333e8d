package dev.nanolet.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doCallRealMethod;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rotation re-seals in batches, each committed on its own: one whose later batch fails (the database gone, 503) keeps
 * the batches before it re-sealed, and its audit entry says so ({@code written} 200), not as a refusal that wrote nothing.
 */
@PlatformApiTest
@TestPropertySource(properties = {
    "nanolet.secrets.key=" + SecretRotationTest.NEW_KEY,
    "nanolet.secrets.previous-key=" + PlatformApiTest.SECRETS_KEY
})
class SecretRotationOutageTest {
    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired JsonMapper json;
    @MockitoSpyBean SecretStore store;

    @Test
    void aRotationWhoseLaterBatchFailedIsListedAsWrittenWithThe503ItAnswered() {
        String ns = "rot-" + UUID.randomUUID().toString().substring(0, 8);
        SecretCipher old = new SecretCipher(new SecureRandom(), Base64.getDecoder().decode(PlatformApiTest.SECRETS_KEY), null);
        SecretRotationTest.insert(jdbc, json, old, ns, "db", "password", "old-value");
        doCallRealMethod().doThrow(new DataAccessResourceFailureException("the database is gone"))
                .when(store).lockNotSealedWith(anyString(), anyInt());
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        Response token = admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"" + ns + "\",\"grants\":[{\"role\":\"admin\"}]}");
        assertThat(token.status()).as(token.body()).isEqualTo(201);

        Response rotated = admin.as(token.json().path("token").asString()).json(HttpMethod.POST, "/api/v1/secrets:rotate", "{}");

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(503);
        assertThat(jdbc.sql("SELECT key_id FROM secrets WHERE namespace = ?").param(ns).query(String.class).single())
                .as("the first batch stays re-sealed").isNotEqualTo(old.currentKeyId());
        await().untilAsserted(() -> assertThat(admin.get("/api/v1/audit?actor=" + ns).json()
                .path("entries").valueStream().map(e -> e.path("method").asString() + " " + e.path("path").asString() + " "
                        + e.path("status").asInt() + " written " + e.path("written").asString("null")))
                .containsExactly("POST /api/v1/secrets:rotate 503 written 200"));
    }
}
