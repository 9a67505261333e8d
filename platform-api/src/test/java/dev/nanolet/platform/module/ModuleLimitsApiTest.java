package dev.nanolet.platform.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/** Modules tiny on disk but huge in an engine are refused at upload, before they are parsed; uploads are bounded. */
@PlatformApiTest
@TestPropertySource(properties = "nanolet.modules.max-concurrent-uploads=1")
class ModuleLimitsApiTest {

    static final MediaType WASM = MediaType.parseMediaType("application/wasm");

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
    }

    static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(Path.of("..", "examples", "fixtures", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response upload(byte[] bytes) {
        return api.send(HttpMethod.POST, "/api/v1/modules", WASM, bytes, Map.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nop-function.wasm | max-function-body-bytes | 1048576",
        "many-locals.wasm | max-locals | 40000",
        "two-memories.wasm | multi-memory | more than one linear memory"
    })
    void aModuleAboveALimitIsRefusedWith422NamingTheLimitAndTheValue(String fixture, String limit, String value) {
        Response r = upload(fixture(fixture));

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.headers().getContentType()).hasToString("application/problem+json");
        assertThat(r.errorFields()).containsExactly("module");
        assertThat(r.json().path("detail").asString()).contains(limit, value);
    }

    @Test
    void aDataSegmentDeclaringTwoGibInSeventeenBytesIsMalformedNotAllocated() {
        Response r = upload(fixture("data-bomb.wasm"));

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("detail").asString())
                .isEqualTo("not a valid WebAssembly module: data segment 0 declares 2147483648 bytes but only 0 remain");
    }

    @Test
    void oneUploadTooManyAnswers503WithRetryAfter() throws Exception {
        CompletableFuture<Response> first;
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE modules IN ACCESS EXCLUSIVE MODE"); // the first upload waits in its slot
            first = CompletableFuture.supplyAsync(() -> upload(fixture("table-grow.wasm")));
            await().until(() -> waitingForTheLock() > 0);

            Response busy = upload(fixture("trap.wasm"));
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.headers().getFirst("Retry-After")).isEqualTo("1");
            assertThat(busy.json().path("detail").asString()).contains("max-concurrent-uploads");
            lock.rollback();
        }
        assertThat(first.get(20, TimeUnit.SECONDS).status()).isIn(200, 201);
        await().until(() -> upload(fixture("trap.wasm")).status() != 503);
    }

    private int waitingForTheLock() throws Exception {
        try (Connection c = dataSource.getConnection(); var rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM pg_locks l JOIN pg_class t ON l.relation = t.oid WHERE t.relname = 'modules' AND NOT l.granted")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void slowSendersHoldNoSlotSoOtherUploadsGoThrough() throws Exception {
        var release = new CountDownLatch(1);
        var client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) { // four times the one slot this test's platform has
                slow.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/modules"))
                        .header("Authorization", "Bearer " + PlatformApiTest.ADMIN_TOKEN)
                        .header("Content-Type", "application/wasm")
                        .version(HttpClient.Version.HTTP_1_1)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new StalledBody(release))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            await().until(() -> StalledBody.stalled.get() >= 4);

            for (String fixture : List.of("table-grow.wasm", "trap.wasm", "grow.wasm")) {
                Response r = upload(fixture(fixture));
                assertThat(r.status()).as(fixture + ": " + r.body()).isIn(200, 201);
            }
        } finally {
            release.countDown();
        }
        for (var f : slow) {
            assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
        }
    }

    /** A body that sends the Wasm header and then nothing until released: an upload in progress. */
    private static final class StalledBody extends InputStream {
        static final AtomicInteger stalled = new AtomicInteger();
        private final CountDownLatch release;
        private int sent;

        StalledBody(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }

        @Override
        public int read() throws IOException {
            if (sent < 8) {
                return new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}[sent++];
            }
            try {
                if (sent == 8) {
                    stalled.incrementAndGet();
                }
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sent++ == 8 ? 0x7f : -1;
        }
    }
}
