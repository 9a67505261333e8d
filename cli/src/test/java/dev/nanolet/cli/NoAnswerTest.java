package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A server that took the request but did not answer in time, or ended the connection unanswered, is not unreachable: exit 1
 * (ci.md's table), saying how long the CLI waited or how it ended, since the request may have been carried out; a refused
 * connection stays exit 4.
 */
class NoAnswerTest {
    @Test
    void aServerThatTookTheRequestButDidNotAnswerInTimeIsExitOneNotUnreachable() throws IOException {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicReference<String> id = new AtomicReference<>();
        try (Loopback server = new Loopback(exchange -> {
            id.set(exchange.getRequestHeaders().getFirst(Api.REQUEST_ID));
            try {
                answer.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Loopback.Answer(200, "{}");
        })) {
            try {
                Api api = new Api(new Config(server.url(), "t", "ci"));
                assertThatThrownBy(() -> api.json("POST", "/api/v1/namespaces/ci/deployments/web/rollback", null, Duration.ofMillis(300)))
                        .isInstanceOfSatisfying(CliException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(CliException.ROLLOUT_FAILED);
                            assertThat(e.getMessage()).isEqualTo("no answer from " + server.url() + " within 0.3 s to POST "
                                    + "/api/v1/namespaces/ci/deployments/web/rollback: it may still have done what was asked; check before retrying"
                                    + "\n  request id " + id.get() + ": nanolet audit --request-id " + id.get() + " lists what it did");
                        });
            } finally {
                answer.countDown();
            }
        }
    }

    /** A server that read the request and ended the connection unanswered may have acted on it: it was exit 4, "cannot reach". */
    @Test
    void aConnectionEndedAfterTheRequestIsExitOneNotUnreachable() throws IOException {
        HttpServer server = PathSegmentsTest.listen();
        List<String> asked = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst(Api.REQUEST_ID));
            exchange.getRequestBody().readAllBytes();
            exchange.close(); // no status: the connection ends
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Loopback.run(new ByteArrayOutputStream(), err, "tokens", "create", "ci-bot", "--role", "viewer", "--server", url,
                    "--token", "t", "-n", "ci")).as("%s", err).isEqualTo(CliException.ROLLOUT_FAILED);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("nanolet: no answer from " + url + " (the connection ended: ")
                    .contains(" to POST /api/v1/tokens: it may still have done what was asked; check before retrying\n");
            assertThat(asked).singleElement().asString().startsWith("POST /api/v1/tokens ");
            String id = asked.getFirst().substring("POST /api/v1/tokens ".length());
            assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("\n  request id " + id + ": nanolet audit --request-id " + id
                    + " lists what it did\n");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRefusedConnectionStaysUnreachable() throws IOException {
        String url;
        try (Loopback closed = new Loopback(exchange -> new Loopback.Answer(200, "{}"))) {
            url = closed.url();
        }
        Api api = new Api(new Config(url, "t", "ci"));
        assertThatThrownBy(() -> api.json("GET", "/api/v1/nodes", null, Duration.ofMillis(300)))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(CliException.UNREACHABLE);
                    assertThat(e.getMessage()).startsWith("cannot reach " + url);
                });
    }

    @Test
    void anUnknownHostIsUnreachable() {
        String url = "http://nanolet-no-such-host.invalid";
        Api api = new Api(new Config(url, "t", "ci"));
        assertThatThrownBy(() -> api.get("/api/v1/nodes")).isInstanceOfSatisfying(CliException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(CliException.UNREACHABLE);
            assertThat(e.getMessage()).startsWith("cannot reach " + url + ": ");
        });
    }

    /**
     * https:// to a server that answers in plain HTTP: no TLS session, so nothing was sent, and the CLI says so at once
     * rather than after its connect timeout, which covers the handshake. The socket answers every connection it is offered:
     * one that took a single one could take another process's stray connection first and leave the client's queued,
     * unanswered, until the timeout. The client waits minutes for a connection, so that a loaded machine does not turn the
     * TLS failure into a timeout either, and the message tells the two apart: the timeout's is "HTTP connect timed out".
     */
    @Test
    void noTlsSessionIsUnreachable() throws IOException {
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerInPlainHttp(plain));
            String url = "https://127.0.0.1:" + plain.getLocalPort();
            Api api = new Api(new Config(url, "t", "ci"), Api.CALL_TIMEOUT, Api.STREAM_QUIET, Duration.ofMinutes(2));
            assertThatThrownBy(() -> api.get("/api/v1/nodes")).isInstanceOfSatisfying(CliException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(CliException.UNREACHABLE);
                assertThat(e.getMessage()).as("the TLS failure, not the connect timeout").startsWith("cannot reach " + url + ": ")
                        .contains("SSL");
            });
        }
    }

    /** Each connection {@code plain} is offered answered with a plain-HTTP 400, until {@code plain} is closed. */
    private static void answerInPlainHttp(ServerSocket plain) {
        try {
            for (;;) {
                Socket s = plain.accept();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        s.getInputStream().read(new byte[1 << 14]); // the ClientHello, so that closing sends no reset that could drop the answer
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client gives up
                    } catch (IOException ended) {
                        // the client gave up
                    }
                });
            }
        } catch (IOException closed) {
            // the test ended
        }
    }
}
