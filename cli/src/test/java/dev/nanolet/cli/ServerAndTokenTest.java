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
        for (String server : new String[] {"localhost:8090", "http://exa mple", "ftp://example.com", "", " ",
                "example.com", "http://"}) {
            assertBadUsage("not a valid server URL: ", "--server", server, "--token", "t");
        }
    }

    /** A space or control character inside a token: the JDK refused the header with its own text, exit 1. */
    @Test
    void aTokenWithASpaceOrControlCharacterInsideIsBadUsage() {
        for (String token : new String[] {"nlt api", "nlt_api_\u0000x", "nlt_äpi", "nlt\napi"}) {
            assertBadUsage("the token holds a character that is not printable ASCII", "--server", "http://127.0.0.1:9", "--token", token);
        }
        for (String token : new String[] {"", " ", "\n"}) {
            assertBadUsage("the token is empty", "--server", "http://127.0.0.1:9", "--token", token);
        }
    }

    /**
     * A secret mounted as NANOLET_TOKEN or NANOLET_SERVER keeps its file's trailing newline: the whitespace around them, which
     * neither can hold, is dropped, and the token is sent as it was meant (it was refused with exit 1, then with exit 2).
     */
    @Test
    void theWhitespaceAroundAServerOrTokenIsDropped() throws java.io.IOException {
        java.util.List<String> bearers = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Loopback server = new Loopback(exchange -> {
            bearers.add(exchange.getRequestHeaders().getFirst("Authorization"));
            return new Loopback.Answer(200, "[]");
        })) {
            for (String token : new String[] {"nlt_api_x\n", "nlt_api_x\r\n", " nlt_api_x\t"}) {
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                assertThat(Loopback.run(new ByteArrayOutputStream(), err, "get", "deployments", "--server", server.url() + "/\n",
                        "--token", token)).as("%s: %s", token, err).isZero();
            }
            assertThat(bearers).containsExactly("Bearer nlt_api_x", "Bearer nlt_api_x", "Bearer nlt_api_x");
        }
        assertThat(new Config(" http://s/\r\n", "t\n", "ci")).isEqualTo(new Config("http://s/", "t", "ci"));
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
