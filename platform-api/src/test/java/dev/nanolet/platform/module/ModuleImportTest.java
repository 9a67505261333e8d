package dev.nanolet.platform.module;

import static dev.nanolet.platform.ApiClient.unique;
import static dev.nanolet.platform.ApiClient.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.testsupport.TcpProxy;
import dev.nanolet.testsupport.registry.LocalRegistry;
import dev.nanolet.wire.ModuleDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /api/v1/modules {"image": ...}} against a real registry on loopback, one open, one with credentials and
 * the open one behind a link that passes no byte.
 */
@PlatformApiTest
class ModuleImportTest {

    private static final LocalRegistry open = LocalRegistry.start();
    private static final LocalRegistry locked = LocalRegistry.withBasicAuth("ci", "pw");
    /** Long enough for another import and an upload on a busy machine while an import is stalled. */
    private static final Duration IMPORT_TIMEOUT = Duration.ofSeconds(15);
    private static final TcpProxy stalled = new TcpProxy(Integer.parseInt(open.host().split(":")[1]));

    @LocalServerPort
    int port;

    ApiClient api;

    @DynamicPropertySource
    static void registries(DynamicPropertyRegistry r) throws Exception {
        Path config = Files.createTempFile("nanolet-registry-config", ".json");
        Files.writeString(config, locked.dockerConfigJson());
        r.add("nanolet.modules.import-registries", () -> open.host() + "," + locked.host() + ",127.0.0.1:" + stalled.port());
        r.add("nanolet.modules.import-timeout", () -> IMPORT_TIMEOUT.toSeconds() + "s");
        r.add("nanolet.modules.max-concurrent-uploads", () -> "1");
        r.add("nanolet.modules.registry-config", config::toString);
        r.add("nanolet.modules.cache-dir", () -> config.getParent().resolve("nanolet-oci-" + config.getFileName()).toString());
    }

    @AfterAll
    static void stop() {
        stalled.close();
        open.close();
        locked.close();
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
    }

    private Response importImage(String body) {
        return api.json(HttpMethod.POST, "/api/v1/modules", body);
    }

    @Test
    void importsATaggedWasmArtifactRecordingItsSourceAndDigest() {
        byte[] hello = unique(wasm("hello.wasm"));
        String manifest = open.pushWasm("team/hello", "1.0", hello);

        Response r = importImage("{\"image\": \"" + open.host() + "/team/hello:1.0\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("digest").asString()).isEqualTo(ModuleDigest.of(hello));
        assertThat(r.json().path("name").asString()).isEqualTo("hello");
        assertThat(r.json().path("source").asString()).isEqualTo(open.host() + "/team/hello:1.0");
        assertThat(r.json().path("sourceDigest").asString()).isEqualTo(manifest);
        assertThat(r.json().path("exports").toString()).contains("_start");

        Response content = api.get("/api/v1/modules/" + ModuleDigest.of(hello) + "/content");
        assertThat(content.bytes()).isEqualTo(hello);
    }

    @Test
    void aPrivateRegistryIsReachedWithTheConfiguredCredentials() {
        byte[] job = unique(wasm("hello.wasm"));
        locked.pushWasm("private", "v1", job);

        Response r = importImage("{\"image\": \"" + locked.host() + "/private:v1\", \"name\": \"secret-job\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("name").asString()).isEqualTo("secret-job");
    }

    @Test
    void whatCannotBeImportedIsAClear422() {
        open.push("container", "v1", "not wasm".getBytes(StandardCharsets.UTF_8),
                "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip");

        assertThat(importImage("{\"image\": \"" + open.host() + "/container:v1\"}").body()).contains("not a Wasm artifact");
        assertThat(importImage("{\"image\": \"" + open.host() + "/container:v1\"}").status()).isEqualTo(422);
        assertThat(importImage("{\"image\": \"" + open.host() + "/missing:v1\"}").status()).isEqualTo(422);
        Response elsewhere = importImage("{\"image\": \"127.0.0.1:1/internal:v1\"}");
        assertThat(elsewhere.status()).isEqualTo(422);
        assertThat(elsewhere.body()).contains("not one imports may use");
        assertThat(importImage("{\"image\": \"\"}").status()).isEqualTo(422);
        assertThat(importImage("{}").status()).isEqualTo(422);
    }

    /**
     * A registry that accepts the connection and then says nothing held the import's request for ever; and an import
     * stalled on its registry held one of the places uploads are parsed on, so as many stalled imports as places made
     * every upload a 503 until the import timeout (and, before it, for ever). Imports pull on places of their own: here
     * the one import place is taken, so another import is told to wait, an upload goes through, and the stalled import
     * is a 422 at the import timeout. One test, so that the suite waits the timeout out once and the upload has all of
     * it (with two, each 8 s, an upload slower than 8 s on a busy machine found the import already ended). The other
     * import is sent once the stalled one reached its registry, so holds its place: sent at once, it could take the
     * place first on a busy machine, and the stalled import was the one told to wait.
     */
    @Test
    void aStalledImportHoldsNoPlaceAnUploadIsParsedOnAndIsA422AtTheImportTimeout() throws Exception {
        open.pushWasm("team/held", "1.0", unique(wasm("hello.wasm")));
        stalled.stall();
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            int reached = stalled.accepted();
            Future<Response> held = background.submit(() -> importImage("{\"image\": \"127.0.0.1:" + stalled.port() + "/team/held:1.0\"}"));
            await("the import pulling, on its place").atMost(Duration.ofSeconds(30)).until(() -> held.isDone() || stalled.accepted() > reached);
            assertThat(held).as("the stalled import is pulling, not told to wait").isNotDone();
            Response other = importImage("{\"image\": \"" + open.host() + "/team/held:1.0\"}");
            assertThat(other.status()).as(other.body()).isEqualTo(503);
            assertThat(other.body()).contains("already importing");

            Response upload = api.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("application/wasm"),
                    unique(wasm("hello.wasm")), Map.of());
            assertThat(upload.status()).as(upload.body()).isEqualTo(201);
            assertThat(held).as("the stalled import is still pulling").isNotDone();
            Response r = held.get(IMPORT_TIMEOUT.multipliedBy(2).toSeconds(), TimeUnit.SECONDS);
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.body()).contains("within the pull timeout of " + IMPORT_TIMEOUT.toSeconds() + "s");
        }
    }
}
