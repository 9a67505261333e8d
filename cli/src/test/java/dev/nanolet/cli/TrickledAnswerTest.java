package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
 * the wait for the headers. An event stream ({@code logs}, {@code logs -f}) is bounded where it can be: a server or proxy
 * that took the connection and never answered, or answered and then sent nothing more, held {@code logs -f} for ever,
 * silently. Its headers now come within the call timeout, as any call's, and a stream that sends nothing, not even
 * platform-api's comments, for the quiet bound has stalled; one that keeps sending lines or comments lasts as long as it
 * does.
 */
class TrickledAnswerTest {
    private static final Duration BOUND = Duration.ofSeconds(1);
    /**
     * The quiet bound of a stream that must not stall, which sends every 200 ms: ten times that, so that a loaded machine
     * that runs the server's writes late is not taken for a stall.
     */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final String PATH = "/api/v1/namespaces/ci/deployments/web/logs";

    private final CountDownLatch done = new CountDownLatch(1);
    private final List<String> data = new CopyOnWriteArrayList<>();
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
        assertThat(readWhole("data: line\n\n", BOUND.multipliedBy(2))).endsWith("end").hasSizeGreaterThan(2)
                .allMatch(d -> d.equals("line") || d.equals("end"));
    }

    /** A follow of quiet replicas, to which platform-api writes a comment every 2 s, is not taken for a stalled stream. */
    @Test
    void anEventStreamOfCommentsLongerThanTheQuietBoundIsReadToItsEnd() throws IOException {
        assertThat(readWhole(":\n\n", QUIET.multipliedBy(2))).containsExactly("end");
    }

    @Test
    void aServerThatNeverAnswersFailsOnceTheCallTimeoutPassed() throws IOException {
        Api api = new Api(new Config(serving(exchange -> {}), "t", "ci"), BOUND);
        long started = System.nanoTime();

        assertEventsFail(api, CliException.ROLLOUT_FAILED, "no answer from " + url() + " within 1 s to GET " + PATH
                + ": it may still have done what was asked; check before retrying");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(BOUND);
        assertThat(data).isEmpty();
    }

    @Test
    void aStreamThatStopsSendingStallsOnceTheQuietBoundPassedItsLinesHandedOn() throws IOException {
        Api api = new Api(new Config(serving(sending("data: one\n\n:\n\ndata: two\n\n")), "t", "ci"), Api.CALL_TIMEOUT, BOUND);
        long started = System.nanoTime();

        assertEventsFail(api, CliException.ROLLOUT_FAILED, "the stream from " + url() + " to GET " + PATH
                + " stalled: nothing came for 1 s: what came before it was printed");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(BOUND);
        assertThat(data).containsExactly("one", "two");
    }

    /**
     * Only the time the CLI waits for the server counts: a reader held longer than the bound elsewhere (printing into a
     * pipe a pager does not read on) finds the rest of the stream where the server left it.
     */
    @Test
    void aReaderHeldLongerThanTheQuietBoundDoesNotStallItsStream() throws IOException {
        Api api = new Api(new Config(serving(exchange -> {
            sending("data: one\n\ndata: two\n\n").handle(exchange);
            exchange.close();
        }), "t", "ci"), Api.CALL_TIMEOUT, BOUND);

        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> api.events(PATH, d -> {
            data.add(d);
            try {
                if (d.equals("one") && done.await(BOUND.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("released before its time: the test ended");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }));
        assertThat(data).containsExactly("one", "two");
    }

    /** An error whose body stops coming is the error its status says, as one whose body is cut. */
    @Test
    void anErrorWhoseBodyStopsComingIsTheErrorItsStatusSays() throws IOException {
        Api api = new Api(new Config(serving(exchange -> {
            exchange.sendResponseHeaders(401, 4096);
            exchange.getResponseBody().write("{\"detail\":\"bad tok".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
        }), "t", "ci"), Api.CALL_TIMEOUT, BOUND);

        assertEventsFail(api, CliException.FORBIDDEN, "401 unauthorized: its answer stalled: nothing came for 1 s");
    }

    /** {@code api}'s events of {@link #PATH} fail with {@code exitCode} and {@code message}, within a minute. */
    private void assertEventsFail(Api api, int exitCode, String message) {
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThatThrownBy(() -> api.events(PATH, data::add))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(exitCode);
                    assertThat(e.getMessage()).isEqualTo(message);
                }));
    }

    /**
     * The data of an event stream that sends {@code each} every 200 ms for {@code lasting}, then {@code data: end}, read
     * whole; it took at least {@code lasting}.
     */
    private List<String> readWhole(String each, Duration lasting) throws IOException {
        Api api = trickling("text/event-stream", "", each, "data: end\n\n", lasting);
        long started = System.nanoTime();

        api.events(PATH, data::add);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(lasting);
        return data;
    }

    /**
     * An Api whose calls are bounded by {@link #BOUND} and event streams' quiet by {@link #QUIET}, of a server that answers
     * 200 at once with {@code first}, then {@code each} every 200 ms for {@code lasting} and {@code last}, unless the
     * client went away first.
     */
    private Api trickling(String contentType, String first, String each, String last, Duration lasting) throws IOException {
        return new Api(new Config(serving(exchange -> {
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
            }
        }), "t", "ci"), BOUND, QUIET);
    }

    /** What answers an event stream's headers and {@code events} at once. */
    private static Loopback.Handler sending(String events) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(events.getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
        };
    }

    /** A server that does what {@code handler} does, then holds the exchange open until the test ends (unless it closed it); its URL. */
    private String serving(Loopback.Handler handler) throws IOException {
        server = Loopback.serving(exchange -> {
            handler.handle(exchange);
            done.await(2, TimeUnit.MINUTES);
        });
        return url();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
