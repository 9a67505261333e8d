package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload is bounded by its stalls, not its length: against a loopback server that reads a 32 MB module slowly, in all
 * longer than the stall bound, it succeeds, and against one that stops reading it fails once the bound passed without
 * progress, saying so. The module is larger than what the kernel's socket buffers take in (some 4 MB here) unread.
 */
class UploadStallTest {
    private static final Duration STALL = Duration.ofSeconds(3);
    private static final int SIZE = 32 << 20;
    private static final String DIGEST = "{\"digest\":\"sha256:" + "0".repeat(64) + "\"}";

    private final ScheduledExecutorService link = Executors.newSingleThreadScheduledExecutor();
    private final Semaphore ticks = new Semaphore(0);
    private final CountDownLatch done = new CountDownLatch(1);
    private HttpServer server;
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        done.countDown();
        link.shutdownNow();
        ticks.release(SIZE); // a reader still pacing reads on
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * The module's first half read 32 KB every 10 ms (over 5 s, longer than the bound, with progress all along), the rest
     * at once: what the socket buffers held when the client handed over its last part (some MB, as many as the kernel lets
     * them grow) is not read at that pace, so the wait for the answer, bounded from then, does not depend on their size.
     */
    @Test
    void anUploadThatTakesLongerThanTheStallBoundButNeverStallsSucceeds() throws IOException {
        link.scheduleAtFixedRate(ticks::release, 0, 10, TimeUnit.MILLISECONDS);
        AtomicLong read = new AtomicLong();
        Api api = api(exchange -> {
            byte[] part = new byte[32 << 10];
            try (InputStream body = exchange.getRequestBody()) {
                for (int n; read.get() < SIZE / 2 && (n = body.readNBytes(part, 0, part.length)) > 0; ) {
                    read.addAndGet(n);
                    ticks.acquire();
                }
                read.addAndGet(body.transferTo(OutputStream.nullOutputStream()));
            }
            answer(exchange, DIGEST);
        });
        long started = System.nanoTime();

        String digest = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> PushCommand.push(api, module()));

        assertThat(digest).isEqualTo("sha256:" + "0".repeat(64));
        assertThat(read).hasValue(SIZE);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("in all longer than the stall bound").isGreaterThan(STALL);
    }

    @Test
    void anUploadTheServerStopsReadingFailsAfterTheStallBound() throws IOException {
        Api api = api(exchange -> {
            exchange.getRequestBody().readNBytes(1 << 20);
            done.await(2, TimeUnit.MINUTES);
            answer(exchange, DIGEST);
        });
        Path module = module();
        long started = System.nanoTime();

        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> assertThatThrownBy(() -> PushCommand.push(api, module))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(CliException.ROLLOUT_FAILED);
                    assertThat(e.getMessage()).matches("the upload to " + url() + " stalled: no more of the body of POST /api/v1/modules was "
                            + "taken for 3 s \\(\\d+ of " + SIZE + " bytes sent\\)\n  request id [0-9a-f-]{36}: nanolet audit --request-id "
                            + "[0-9a-f-]{36} lists what it did");
                }));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(STALL);
    }

    /** The whole body read and no answer: the stall bound counts from the body's end. */
    @Test
    void anUploadWhoseAnswerDoesNotComeFailsAfterTheStallBound() throws IOException {
        Api api = api(exchange -> {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            done.await(2, TimeUnit.MINUTES);
            answer(exchange, DIGEST);
        });
        Path module = module();

        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> assertThatThrownBy(() -> PushCommand.push(api, module))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.getMessage()).startsWith("no answer from " + url()
                        + " within 3 s of the upload's end to POST /api/v1/modules: it may still have done what was asked; check before retrying\n")));
    }

    private Api api(Loopback.Handler handler) throws IOException {
        server = Loopback.serving(handler);
        return new Api(new Config(url(), "t", "ci"), STALL);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Path module() throws IOException {
        return Files.write(dir.resolve("big.wasm"), new byte[SIZE]);
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(201, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
