package dev.nanolet.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** A secret's ETag and conditional PUT and DELETE over real HTTP, as for deployments. */
@PlatformApiTest
class SecretConditionalWriteTest extends NamespaceTestBase {

    String path() {
        return "/api/v1/namespaces/" + ns + "/secrets/db";
    }

    Response put(String password, Map<String, String> headers) {
        return admin.send(HttpMethod.PUT, path(), MediaType.APPLICATION_JSON,
                ("{\"data\":{\"password\":\"" + password + "\"}}").getBytes(StandardCharsets.UTF_8), headers);
    }

    @Test
    void aStaleIfMatchIs412AndAMatchingOneWrites() {
        Response created = put("one", Map.of("If-None-Match", "*"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String etag = created.headers().getETag();
        assertThat(etag).isEqualTo("\"" + created.json().path("resourceVersion").asString() + "\"")
                .isEqualTo(admin.get(path()).headers().getETag());

        Response changed = put("two", Map.of("If-Match", etag));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.headers().getETag()).isNotEqualTo(etag);

        Response stale = put("three", Map.of("If-Match", etag));
        Response staleDelete = admin.send(HttpMethod.DELETE, path(), null, null, Map.of("If-Match", etag));
        Response exists = put("four", Map.of("If-None-Match", "*"));

        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().path("resourceVersion").asString()).isEqualTo(changed.json().path("resourceVersion").asString());
        assertThat(staleDelete.status()).isEqualTo(412);
        assertThat(exists.status()).isEqualTo(412);
        assertThat(admin.get(path()).json().path("version").asLong()).isEqualTo(2);

        assertThat(admin.send(HttpMethod.DELETE, path(), null, null, Map.of("If-Match", changed.headers().getETag())).status())
                .isEqualTo(204);
        assertThat(put("five", Map.of("If-Match", changed.headers().getETag())).status()).isEqualTo(412);
        assertThat(admin.get(path()).status()).isEqualTo(404);
    }
}
