package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.ApiClient.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** {@code spec.volumes} over the REST API: kept in the spec as written, or refused naming the field (422; 400 for a null entry) and nothing changed. */
@PlatformApiTest
class VolumesApiTest {
    @LocalServerPort
    int port;

    ApiClient api;
    String module;
    String path;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        module = api.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("application/wasm"),
                wasm("hello.wasm"), Map.of()).json().path("digest").asString();
        path = "/api/v1/namespaces/volumes/deployments/d-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Response put(String volumes) {
        return api.json(HttpMethod.PUT, path, "{\"module\":\"" + module + "\",\"job\":{},\"volumes\":" + volumes + "}");
    }

    @Test
    void aVolumeIsKeptInTheSpec() {
        Response created = put("[{\"name\":\"data\",\"mountPath\":\"/data\"}]");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(api.get(path).json().path("spec").path("volumes").get(0).path("mountPath").asString()).isEqualTo("/data");
    }

    @Test
    void aBadVolumeIsRefusedNamingItsFieldAndCreatesNothing() {
        Response escape = put("[{\"name\":\"../../etc\",\"mountPath\":\"/data/../..\"}]");
        Response unknown = put("[{\"name\":\"data\",\"mountPath\":\"/data\",\"hostPath\":\"/etc\"}]");
        Response nullEntry = put("[null]");

        assertThat(escape.status()).isEqualTo(422);
        assertThat(escape.errorFields()).containsExactly("volumes[0].name", "volumes[0].mountPath");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.errorFields()).singleElement().asString().contains("hostPath");
        assertThat(nullEntry.status()).as("a null entry is malformed JSON for the spec, as in args").isEqualTo(400);
        assertThat(nullEntry.errorFields()).containsExactly("volumes[0]");
        assertThat(api.get(path).status()).isEqualTo(404);
    }
}
