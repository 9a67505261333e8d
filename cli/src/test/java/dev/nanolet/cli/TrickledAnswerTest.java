package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call's timeout bounds the whole exchange, its answer's body too: a server (or proxy) that sends the headers at once and
 * then a byte of the body every 200 ms held {@code nanolet get} as long as it went on, the JDK's timeout covering only
 * the wait for the headers. An event stream lasts as long as the server sends, lines or platform-api's comments, however
 * quiet the replicas are (QuietStreamTest: one that sends nothing stalls).
 */
class TrickledAnswerTest {
    private static final Duration BOUND = Duration.ofSeconds(1);

    private final CountDownLatch done = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stop() {
        done.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anAnswerWhoseBodyTricklesFailsOnceTheCallTimeoutPassed() throws IOException {
        Api api = trickling("application/json", "[", " ", "]", Duration.ofSeconds(40));
        long started = System.nanoTime();

        assertThatThrownBy(() -> api.get("/api/v1/nodes")).isInstanceOfSatisfying(CliException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(CliException.ROLLOUT_FAILED);
            assertThat(e.getMessage()).isEqualTo("no answer from " + url() + " within 1 s to GET /api/v1/nodes: it may still have "
                    + "done what was asked; check before retrying");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(BOUND).isLessThan(BOUND.multipliedBy(20));
    }

    @Test
    void anEventStreamLongerThanTheCallTimeoutIsReadToItsEnd() throws IOException {
        Duration lasting = BOUND.multipliedBy(2);
        Api api = trickling("text/event-stream", "", "data: line\n\n", "data: end\n\n", lasting);
        List<String> data = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();

        api.events("/api/v1/namespaces/ci/deployments/web/logs", data::add);

        assertThat(data).endsWith("end").hasSizeGreaterThan(2).allMatch(d -> d.equals("line") || d.equals("end"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(lasting);
    }

    /** A follow of quiet replicas, to which platform-api writes a comment every 2 s, is not taken for a stalled stream. */
    @Test
    void anEventStreamOfCommentsLongerThanTheQuietBoundIsReadToItsEnd() throws IOException {
        Duration lasting = BOUND.multipliedBy(3);
        Api api = trickling("text/event-stream", "", ":\n\n", "data: end\n\n", lasting);
        List<String> data = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();

        api.events("/api/v1/namespaces/ci/deployments/web/logs", data::add);

        assertThat(data).containsExactly("end");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(lasting);
    }

    /**
     * An Api whose calls and event streams' quiet are bounded by {@link #BOUND}, of a server that answers 200 at once with {@code first}, then
     * {@code each} every 200 ms for {@code lasting} and {@code last}, unless the client went away first.
     */
    private Api trickling(String contentType, String first, String each, String last, Duration lasting) throws IOException {
        server = PathSegmentsTest.listen();
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            long end = System.nanoTime() + lasting.toNanos();
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(first.getBytes(StandardCharsets.UTF_8));
                body.flush();
                while (System.nanoTime() < end && !done.await(200, TimeUnit.MILLISECONDS)) {
                    body.write(each.getBytes(StandardCharsets.UTF_8));
                    body.flush();
                }
                body.write(last.getBytes(StandardCharsets.UTF_8));
            } catch (IOException | InterruptedException gone) {
                // the client cancelled, or the test ended
            }
        });
        server.start();
        return new Api(new Config(url(), "t", "ci"), BOUND, BOUND);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
