package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** {@link AnswerFraming} on a client whose requests to a node wait for its one connection, as they do when all are busy. */
class AnswerFramingTest {

    static final CannedPeer canned = new CannedPeer();
    static final ConnectionProvider oneConnection = ConnectionProvider.builder("answer-framing-test").maxConnections(1).pendingAcquireMaxCount(-1).build();

    @AfterAll
    static void stop() throws Exception {
        oneConnection.disposeLater().block(Duration.ofSeconds(5));
        canned.close();
    }

    static List<String> notKept() {
        return List.of("X-Wide: " + "w".repeat(6 * 1024) + "\r\n\r\nwide", "\r\nwideHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged");
    }

    /**
     * An answer whose connection is not kept: an honest one whose header section takes more than one read (Netty's first
     * is 2 KiB), which leaves bytes in the codec between reads, and one with bytes past its framing in the read that ends
     * it. A request waiting for that connection gets it as the answer ends; it used to be sent on it just before the close
     * and fail ("closed the connection without answering": 502 forwarded).
     */
    @ParameterizedTest
    @MethodSource("notKept")
    void aRequestWaitingForAConnectionThatIsNotKeptGetsItsAnswer(String rest) {
        canned.answerKeepingOpen("GET /wide", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n" + rest);
        HttpClient client = HttpClient.create(oneConnection).doOnChannelInit((observer, channel, address) -> AnswerFraming.watch(channel));

        List<String> answers = Flux.range(0, 20)
                .flatMap(i -> client.get().uri("http://localhost:" + canned.port() + "/wide").responseSingle((res, body) -> body.asString()))
                .collectList().block(Duration.ofSeconds(30));

        assertThat(answers).hasSize(20).containsOnly("wide");
    }

    /**
     * An answer to {@code HEAD}, a 204 and a 304 end at their header section whatever their framing fields say (RFC 9112
     * §6.3), so a coding other than chunked, or one beside a length, leaves their connection kept: the requests after them
     * go on the one connection, never a new one.
     */
    @Test
    void anAnswerWithoutBodyKeepsItsConnectionWhateverItsFramingFieldsSay() {
        canned.answerKeepingOpen("HEAD /bodiless", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
        canned.answerKeepingOpen("GET /not-modified", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
        canned.answerKeepingOpen("GET /no-content", "HTTP/1.1 204 No Content\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n");
        HttpClient client = HttpClient.create(oneConnection).doOnChannelInit((observer, channel, address) -> AnswerFraming.watch(channel));
        assertThat(status(client, HttpMethod.HEAD, "/bodiless")).isEqualTo(200);
        int connections = canned.connections();

        for (int i = 0; i < 3; i++) {
            assertThat(status(client, HttpMethod.GET, "/not-modified")).isEqualTo(304);
            assertThat(status(client, HttpMethod.GET, "/no-content")).isEqualTo(204);
            assertThat(status(client, HttpMethod.HEAD, "/bodiless")).isEqualTo(200);
        }

        assertThat(canned.connections()).as("connections taken after the first answer").isEqualTo(connections);
    }

    /** The status of {@code client}'s answer to {@code method} of {@code path} from the canned node, its body read (so its connection goes back). */
    private static int status(HttpClient client, HttpMethod method, String path) {
        return client.request(method).uri("http://localhost:" + canned.port() + path)
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("").map(b -> res.status().code()))
                .block(Duration.ofSeconds(30));
    }
}
