package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code logs NAME} against a loopback server whose log stream is given: each line as {@code <replica> <line>}, or a clear error. */
class LogsCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int logs(String stream, String... options) throws IOException {
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(200, stream))) {
            String[] args = new String[options.length + 2];
            args[0] = "logs";
            args[1] = "web";
            System.arraycopy(options, 0, args, 2, options.length);
            return Loopback.run(out, err, server.args(args));
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

    /**
     * With {@code -o json} each line is its JSON, a workload's bidi mark or line separator escaped, as get's: the line was
     * printed as the server sent it, where JSON allows them raw, and the Terminal made them spaces, so a script read another value.
     */
    @Test
    void eachLineAsJsonHoldsTheWorkloadsTextExactly() throws IOException {
        String line = "{\"replica\":\"r1\",\"line\":\"a\u202eb\u2028c\\u001b[2J\"}";
        assertThat(logs("data: " + line + "\n\n", "-o", "json")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).hasLineCount(1);
        assertThat(Api.JSON.readTree(out.toString(StandardCharsets.UTF_8))).isEqualTo(Api.JSON.readTree(line));
    }

    /**
     * A stream cut after it started (a proxy's idle timeout, a platform-api stopped) is exit 1, the connection's end said: it
     * was exit 4, whose "nothing was sent" a pipeline reads as nothing done, though lines had been printed.
     */
    @Test
    void aStreamCutAfterItStartedIsExitOneWithTheLinesPrinted() throws IOException {
        String url = cut(200, "data: {\"replica\":\"r1\",\"line\":\"up\"}\n\n");

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("r1 up\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("nanolet: the stream from " + url + " to GET /api/v1/namespaces/ci/deployments/web/logs "
                + "was cut (the connection ended: ").endsWith("): what came before it was printed\n");
    }

    /**
     * An error whose body is cut is the error its status says, 401 exit 3 as any: it was exit 1 'the stream … was cut: what
     * came before it was printed', though the server had refused the stream and nothing was printed.
     */
    @Test
    void anErrorWhoseBodyIsCutIsTheErrorItsStatusSays() throws IOException {
        cut(401, "{\"detail\":\"bad tok");

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("nanolet: 401 unauthorized: its answer was cut (the connection ended: ");
    }

    /**
     * {@code logs web -f} against a server that answers {@code status} promising 4096 bytes and ends the connection after
     * {@code sent}: the exit code is checked against {@code status} (1 for a stream, 3 for a 401); the server's URL.
     */
    private String cut(int status, String sent) throws IOException {
        HttpServer server = PathSegmentsTest.listen();
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status, 4096); // more than is sent: the connection ends mid-body
            exchange.getResponseBody().write(sent.getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            assertThat(Loopback.run(out, err, "logs", "web", "-f", "--server", url, "--token", "t", "-n", "ci"))
                    .as(err.toString(StandardCharsets.UTF_8)).isEqualTo(status == 401 ? CliException.FORBIDDEN : CliException.ROLLOUT_FAILED);
        } finally {
            server.stop(0);
        }
        return url;
    }
}
