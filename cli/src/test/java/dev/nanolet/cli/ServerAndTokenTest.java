package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A --server or --token no request can carry is bad usage (exit 2, ci.md's table), said in words, before anything is sent;
 * a server that is not platform-api is said to be one.
 */
class ServerAndTokenTest {
    @Test
    void aServerThatIsNoHttpUrlIsBadUsage() {
        for (String server : new String[] {"localhost:8090", "http://example.com:8090 ", "http://exa mple", "ftp://example.com", "",
                "example.com", "http://"}) {
            assertBadUsage("not a valid server URL: ", "--server", server, "--token", "t");
        }
    }

    /** A CI secret read with its trailing newline: the JDK refused the header with its own text, exit 1. */
    @Test
    void aTokenWithASpaceOrControlCharacterIsBadUsage() {
        for (String token : new String[] {"nlt_api_x\n", "nlt_api_x\r\n", " nlt_api_x", "nlt api", "nlt_api_\u0000", "nlt_äpi"}) {
            assertBadUsage("the token holds a character that is not printable ASCII", "--server", "http://127.0.0.1:9", "--token", token);
        }
    }

    /** A server that answers a web page, not platform-api's JSON: exit 1 (ci.md: an error the server reported), said in words. */
    @Test
    void anAnswerThatIsNotJsonSaysSoNotTheParsersException() throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(200, "<!doctype html><title>Nanolet</title>"))) {
            assertThat(Loopback.run(out, err, server.args("get", "deployments")))
                    .isEqualTo(CliException.ROLLOUT_FAILED);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("nanolet: 200: the answer to GET /api/v1/namespaces/ci/deployments"
                    + " is not JSON: is " + server.url() + " platform-api's URL?\n");
        }
    }

    private static void assertBadUsage(String said, String... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = java.util.Arrays.copyOf(new String[] {"get", "deployments"}, 2 + options.length);
        System.arraycopy(options, 0, args, 2, options.length);
        assertThat(Loopback.run(out, err, args)).as("%s: %s", String.join("|", options), err).isEqualTo(CliException.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).as(String.join("|", options)).startsWith("nanolet: " + said);
    }
}
