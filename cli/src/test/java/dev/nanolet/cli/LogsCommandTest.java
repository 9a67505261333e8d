package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code logs NAME} against a loopback server whose log stream is given: each line as {@code <replica> <line>}, or a clear error. */
class LogsCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int logs(String stream) throws IOException {
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(200, stream))) {
            return Loopback.run(out, err, server.args("logs", "web"));
        }
    }

    @Test
    void eachLineIsPrintedWithItsReplicasShortId() throws IOException {
        assertThat(logs("data: {\"replica\":\"0123456789abcdef\",\"line\":\"up\"}\n\ndata: {\"replica\":\"ab\",\"line\":\"short\"}\n\n"))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("01234567 up\nab short\n");
    }

    /** A server that is not platform-api (or a proxy's page as an event stream): exit 1 in words, not the parser's exception. */
    @Test
    void aLineThatIsNotJsonIsSaidToBeSo() throws IOException {
        assertThat(logs("data: <html>\n\n")).isEqualTo(CliException.ROLLOUT_FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("nanolet: a line of deployment ci/web's log stream is not JSON: is http://")
                .endsWith(" platform-api's URL?\n");
    }
}
