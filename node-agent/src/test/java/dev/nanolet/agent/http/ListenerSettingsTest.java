package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nanolet.agent.AgentTestBase;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;

/**
 * The listener takes its settings from {@code nanolet.http.*} ({@link ListenerSettings}): {@code NANOLET_IDLE_TIMEOUT}
 * bounds a connection that sends nothing, one kept alive after its answer, and one that dribbles its request line and
 * headers, and {@code NANOLET_MAX_HEADER_BYTES} bounds a request's header fields, here far below Spring Boot's own
 * default (8 KB) and the node's (16 KB).
 */
class ListenerSettingsTest extends AgentTestBase {

    @DynamicPropertySource
    static void shortIdleTimeoutAndSmallHeaders(DynamicPropertyRegistry r) {
        r.add("nanolet.http.idle-timeout", () -> "1s");
        r.add("nanolet.http.max-header-bytes", () -> "2KB");
    }

    @Test
    void headerFieldsAboveTheSettingAre431AndBelowItAreServed() {
        String health = "GET /actuator/health HTTP/1.1\r\nHost: n\r\nConnection: close\r\nX-Big: ";
        assertThat(RawHttp.exchange(port, health + "x".repeat(3_000) + "\r\n\r\n").status()).isEqualTo(431);
        assertThat(RawHttp.exchange(port, health + "x".repeat(1_500) + "\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        try (Socket s = open()) {
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).as("end of stream").isEqualTo(-1);
            assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        try (Socket s = open()) {
            s.getOutputStream().write("GET /actuator/health HTTP/1.1\r\nHost: n\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }

    /** Were it not cut, the whole request would be sent (in 15 s) and answered, and no write would fail. */
    @Test
    void headersDribbledAByteAtATimeAreCutAtTheIdleTimeout() throws IOException {
        byte[] request = "GET /pa HTTP/1.1\r\nHost: n\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            Throwable cut = catchThrowable(() -> Flux.interval(Duration.ofMillis(200)).take(request.length)
                    .doOnNext(i -> {
                        try {
                            out.write(request[i.intValue()]);
                            out.flush();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).blockLast());
            assertThat(cut).as("the node closed the connection").hasRootCauseInstanceOf(IOException.class);
        }
    }

    /**
     * A connection whose reads give up after 10 s: far above the 1 s idle timeout, so that a loaded machine's late timer
     * is no failure, and far below the node's default (60 s) and Netty's (none).
     */
    private Socket open() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        return s;
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
