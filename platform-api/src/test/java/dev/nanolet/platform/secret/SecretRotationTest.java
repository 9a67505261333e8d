package dev.nanolet.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Key rotation as docs/secrets.md describes it: the new key current, the old one previous; reads work at once, and
 * {@code POST /api/v1/secrets:rotate} re-seals every secret under the new key without changing values or versions.
 */
@PlatformApiTest
@TestPropertySource(properties = {
    "nanolet.secrets.key=" + SecretRotationTest.NEW_KEY,
    "nanolet.secrets.previous-key=" + PlatformApiTest.SECRETS_KEY
})
class SecretRotationTest {
    static final String NEW_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired JsonMapper json;
    @Autowired Secrets secrets;

    @Test
    void rotationReSealsUnderTheNewKeyAndKeepsValuesVersionsAndETags() {
        String ns = "rot-" + UUID.randomUUID().toString().substring(0, 8);
        SecretCipher old = new SecretCipher(new SecureRandom(), Base64.getDecoder().decode(PlatformApiTest.SECRETS_KEY), null);
        insert(old, ns, "db", "password", "old-value");
        byte[] lost = new byte[32];
        Arrays.fill(lost, (byte) 7);
        SecretCipher unknown = new SecretCipher(new SecureRandom(), lost, null);
        insert(unknown, ns, "lost", "k", "v");

        assertThat(secrets.values(ns, "db")).contains(Map.of("password", "old-value"));

        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        String etag = admin.get("/api/v1/namespaces/" + ns + "/secrets/db").headers().getETag();
        Response rotated = admin.json(HttpMethod.POST, "/api/v1/secrets:rotate", "{}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String newId = new SecretCipher(new SecureRandom(), Base64.getDecoder().decode(NEW_KEY), null).currentKeyId();
        assertThat(rotated.json().path("keyId").asString()).isEqualTo(newId);
        assertThat(rotated.json().path("resealed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(rotated.json().path("unreadable").asInt()).isGreaterThanOrEqualTo(1);

        assertThat(keyId(ns, "db")).isEqualTo(newId);
        assertThat(keyId(ns, "lost")).isEqualTo(unknown.currentKeyId());
        assertThat(secrets.values(ns, "db")).contains(Map.of("password", "old-value"));
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/secrets/db").json().path("version").asLong()).isEqualTo(1);
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/secrets/db").headers().getETag())
                .as("re-sealing changes nothing a client wrote, so an If-Match read before still holds").isEqualTo(etag);
        SecretCipher newOnly = new SecretCipher(new SecureRandom(), Base64.getDecoder().decode(NEW_KEY), null);
        String sealed = jdbc.sql("SELECT data->>'password' FROM secrets WHERE namespace = ? AND name = 'db'").param(ns)
                .query(String.class).single();
        assertThat(newOnly.open(newId, ns, "db", "password", sealed)).as("the previous key is no longer needed").isEqualTo("old-value");

        assertThat(admin.json(HttpMethod.POST, "/api/v1/secrets:rotate", "{}").json().path("resealed").asInt()).isZero();
    }

    private void insert(SecretCipher cipher, String ns, String name, String key, String value) {
        insert(jdbc, json, cipher, ns, name, key, value);
    }

    /** A secret sealed by {@code cipher}, written as a platform-api with that key would have. */
    static void insert(JdbcClient jdbc, JsonMapper json, SecretCipher cipher, String ns, String name, String key, String value) {
        jdbc.sql("INSERT INTO secrets (namespace, name, data, key_id, version, created_at, updated_at) VALUES (?, ?, CAST(? AS jsonb), ?, 1, now(), now())")
                .params(ns, name, json.writeValueAsString(Map.of(key, cipher.seal(ns, name, key, value))), cipher.currentKeyId())
                .update();
    }

    private String keyId(String ns, String name) {
        return jdbc.sql("SELECT key_id FROM secrets WHERE namespace = ? AND name = ?").params(ns, name).query(String.class).single();
    }
}
