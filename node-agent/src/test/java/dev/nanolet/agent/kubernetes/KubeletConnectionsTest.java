package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.logs.LogStore;
import dev.nanolet.testsupport.InsecureHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/**
 * The kubelet API's listener holds a connection no longer than the node's data plane does: one that completes its TLS
 * handshake and then sends nothing, or sends nothing more after an answer, is closed after the node's idle timeout;
 * one that never completes its handshake is dropped at the handshake timeout; header fields above the node's limit are
 * refused (431), and one whose request declares a body ends with its answer. A followed log is one long answer, which
 * the idle timeout does not cut, however long the pod is quiet.
 */
class KubeletConnectionsTest {

    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final String TOKEN = "s3cret-kubelet-token";
    /** Far above the idle timeout, so a loaded machine's late timer is no failure, and far below forever. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(15);
    private final UUID pod = UUID.randomUUID();
    private final LogStore logs = TestKubelet.logs(100);
    private KubeletApi api;

    private void start(Duration idle) throws IOException {
        api = TestKubelet.start(TestKubelet.props(null, Set.of(), TOKEN),
                server -> server.idleTimeout(idle).httpRequestDecoder(spec -> spec.maxHeaderSize(2048)), pod, logs);
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.stop();
        }
    }

    @Test
    void aConnectionSilentAfterItsHandshakeIsClosedAfterTheIdleTimeout() throws IOException {
        start(IDLE);
        try (SSLSocket s = tls()) {
            s.startHandshake();
            assertClosedByTheNode(s);
        }
    }

    @Test
    void aConnectionKeptAliveAfterItsAnswerIsClosedAfterTheIdleTimeout() throws IOException {
        start(IDLE);
        try (SSLSocket s = tls()) {
            s.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: n1\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout((int) CLOSED_WITHIN.toMillis());
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200").endsWith("ok");
        }
    }

    /**
     * With an idle timeout far off, only the handshake's own ({@link KubeletApi#HANDSHAKE_TIMEOUT}) ends a connection that
     * never starts TLS. It takes that long (10 s): the timeout is a constant, not a setting a test could shorten.
     */
    @Test
    void aConnectionThatNeverStartsTlsIsDroppedAtTheHandshakeTimeout() throws IOException {
        start(Duration.ofMinutes(10));
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            assertClosedByTheNode(s, KubeletApi.HANDSHAKE_TIMEOUT.plus(CLOSED_WITHIN));
        }
    }

    /**
     * No answer of this API reads a body, and the idle timeout would not end one trickled after the answer, by its length
     * or in a chunk (here of 100,000 bytes, its size line sent with the headers).
     */
    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 100000\r\n\r\n", "Transfer-Encoding: chunked\r\n\r\n186a0\r\n"})
    void aConnectionThatDeclaresABodyEndsWithItsAnswer(String body) throws IOException {
        start(IDLE);
        try (SSLSocket s = tls()) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /healthz HTTP/1.1\r\nHost: n1\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            Throwable cut = catchThrowable(() -> Flux.interval(Duration.ofMillis(300)).take(100).doOnNext(i -> {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).blockLast());
            assertThat(cut).as("the node closed the connection before 100 bytes of body trickled in").hasRootCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void headerFieldsAboveTheLimitAre431AndBelowItAreServed() throws Exception {
        start(IDLE);
        assertThat(healthz("x".repeat(4_000)).statusCode()).isEqualTo(431);
        assertThat(healthz("x".repeat(1_500)).statusCode()).isEqualTo(200);
    }

    @Test
    void aFollowedLogOutlivesTheIdleTimeoutWhileThePodIsQuiet() throws Exception {
        start(IDLE);
        logs.open(pod).append("stdout", "before");
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        InsecureHttp.client().sendAsync(request("/containerLogs/default/p/main?follow=true").build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(collect(lines, ended)));
        await().until(() -> lines.contains("before"));

        await().during(IDLE.multipliedBy(4)).atMost(IDLE.multipliedBy(4).plus(CLOSED_WITHIN)).until(() -> !ended.get());
        logs.open(pod).append("stdout", "after a quiet while");

        await().until(() -> lines.contains("after a quiet while"));
        assertThat(ended).isFalse();
    }

    private HttpResponse<String> healthz(String big) throws IOException, InterruptedException {
        return InsecureHttp.client().send(request("/healthz").header("X-Big", big).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port() + path)).header("Authorization", "Bearer " + TOKEN);
    }

    private SSLSocket tls() throws IOException {
        return (SSLSocket) InsecureHttp.tls(null).getSocketFactory().createSocket("127.0.0.1", api.port());
    }

    private static void assertClosedByTheNode(Socket s) throws IOException {
        assertClosedByTheNode(s, CLOSED_WITHIN);
    }

    /** Reads until the node closes the connection (end of stream, or a reset), failing if it is still open after {@code within}. */
    private static void assertClosedByTheNode(Socket s, Duration within) throws IOException {
        s.setSoTimeout((int) within.toMillis());
        try {
            s.getInputStream().readAllBytes();
        } catch (SocketTimeoutException open) {
            throw new AssertionError("the node kept the connection open for " + within, open);
        } catch (IOException reset) {
            // closed by the node before the client's TLS could read its close_notify
        }
    }

    private static Flow.Subscriber<String> collect(List<String> lines, AtomicBoolean ended) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                lines.add(line);
            }

            @Override
            public void onError(Throwable failure) {
                ended.set(true);
            }

            @Override
            public void onComplete() {
                ended.set(true);
            }
        };
    }
}
