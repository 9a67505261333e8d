package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
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
                .collectList().block(Duration.ofSeconds(10));

        assertThat(answers).hasSize(20).containsOnly("wide");
    }
}
