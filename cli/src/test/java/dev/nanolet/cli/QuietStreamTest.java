package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An event stream ({@code logs}, {@code logs -f}) is bounded where it can be: a server or proxy that took the connection
 * and never answered, or answered and then sent nothing more, held {@code logs -f} for ever, silently. Its headers now
 * come within the call timeout, as any call's, and a stream that sends nothing, not even platform-api's comments, for the
 * quiet bound has stalled (TrickledAnswerTest: one that keeps sending comments is not cut).
 */
class QuietStreamTest {
    private static final Duration BOUND = Duration.ofSeconds(1);
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
    void aServerThatNeverAnswersFailsOnceTheCallTimeoutPassed() throws IOException {
        Api api = new Api(new Config(serving(exchange -> {}), "t", "ci"), BOUND);
        long started = System.nanoTime();

        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThatThrownBy(() -> api.events(PATH, data::add))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(CliException.ROLLOUT_FAILED);
                    assertThat(e.getMessage()).isEqualTo("no answer from " + url() + " within 1 s to GET " + PATH
                            + ": it may still have done what was asked; check before retrying");
                }));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(BOUND);
        assertThat(data).isEmpty();
    }

    @Test
    void aStreamThatStopsSendingStallsOnceTheQuietBoundPassedItsLinesHandedOn() throws IOException {
        Api api = new Api(new Config(serving(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("data: one\n\n:\n\ndata: two\n\n".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
        }), "t", "ci"), Api.CALL_TIMEOUT, BOUND);
        long started = System.nanoTime();

        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThatThrownBy(() -> api.events(PATH, data::add))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(CliException.ROLLOUT_FAILED);
                    assertThat(e.getMessage()).isEqualTo("the stream from " + url() + " to GET " + PATH
                            + " stalled: nothing came for 1 s: what came before it was printed");
                }));
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
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("data: one\n\ndata: two\n\n".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
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

        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThatThrownBy(() -> api.events(PATH, data::add))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(CliException.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("401 unauthorized: its answer stalled: nothing came for 1 s");
                }));
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** A server that does what {@code handler} does, then holds the exchange open until the test ends; its URL. */
    private String serving(Handler handler) throws IOException {
        server = PathSegmentsTest.listen();
        server.createContext("/", exchange -> {
            try {
                handler.handle(exchange);
                done.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        return url();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
