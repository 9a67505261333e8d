package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A proxy's error page, a redirect to a login page or a long plain-text error: the status and one short line, with the
 * exit code the status had (ci.md's table), never the page printed whole; a redirect is said, not followed.
 */
class ErrorPageTest {
    private static final String PAGE = "<!DOCTYPE html>\n<html><head><title>502 Bad\n Gateway</title><style>" + "body{}".repeat(2000)
            + "</style></head><body><h1>502 Bad Gateway</h1>\u001b[31m</body></html>";

    @Test
    void aProxysErrorPageIsItsTitle() throws IOException {
        assertSaid(502, PAGE, null, CliException.ROLLOUT_FAILED, "502: a web page titled '502 Bad Gateway'");
        assertSaid(401, PAGE, null, CliException.FORBIDDEN, "401 unauthorized: a web page titled '502 Bad Gateway'");
        assertSaid(503, "<html><body>" + "x".repeat(5000) + "</body></html>", null, CliException.ROLLOUT_FAILED, "503: a web page");
    }

    @Test
    void aLongTextIsOneBoundedLine() throws IOException {
        assertSaid(500, "upstream\r\nfailed\u001b[2J " + "y".repeat(5000), null, CliException.ROLLOUT_FAILED,
                "500: upstream failed [2J " + "y".repeat(Excerpt.MAX - "upstream failed [2J ".length()) + "…");
        assertSaid(422, "", null, CliException.USAGE, "422: (no body)");
    }

    /** The C1 controls (U+009B, a terminal's CSI; U+0085, a line break) and U+2028 are spaces too: they were printed. */
    @Test
    void aUnicodeControlIsASpaceToo() throws IOException {
        assertSaid(502, "bad\u009b2Jgateway\u0085next\u2028line", null, CliException.ROLLOUT_FAILED, "502: bad 2Jgateway next line");
        assertSaid(302, "", "/login\u009b2J", CliException.ROLLOUT_FAILED, "302: redirected to /login 2J, not followed");
    }

    /** A cut never splits a surrogate pair: its lone half printed as a {@code ?}. */
    @Test
    void aCutKeepsACharacterWhole() {
        String emoji = "\uD83D\uDE00";
        String cut = Excerpt.line("x".repeat(Excerpt.MAX - 1) + emoji + "tail");
        assertThat(cut).isEqualTo("x".repeat(Excerpt.MAX - 1) + "…");
        assertThat(Excerpt.said("y".repeat(Excerpt.MAX_SAID - 1) + emoji)).isEqualTo("y".repeat(Excerpt.MAX_SAID - 1) + "…");
        assertThat(Excerpt.line("x".repeat(Excerpt.MAX - 2) + emoji + "tail")).isEqualTo("x".repeat(Excerpt.MAX - 2) + emoji + "…");
    }

    @Test
    void aRedirectSaysWhereItGoesAndIsNotFollowed() throws IOException {
        try (Loopback login = new Loopback(exchange -> new Loopback.Answer(200, "[]"))) {
            assertSaid(302, PAGE, login.url() + "/login?next=/api", CliException.ROLLOUT_FAILED, "302: redirected to " + login.url()
                    + "/login?next=/api, not followed (the token goes to SERVER only); is SERVER platform-api's URL?");
            assertThat(login.asked).isEmpty();
        }
        assertSaid(301, "", null, CliException.ROLLOUT_FAILED, "301: redirected to nowhere (no Location), not followed");
    }

    /**
     * A platform-api problem's text (its detail, a field's or a warning's message) on its own lines, but without the control
     * sequences a hostile server put in it (OSC 52 writes the clipboard, CSI 2J clears the screen, a CR overwrites the
     * line), and bounded: each was printed as it came.
     */
    @Test
    void aProblemsTextHoldsNoControlSequenceAndIsBounded() throws IOException {
        String hostile = "\\u001b]52;c;aGk=\\u0007\\u009b2J\\r"; // JSON escapes
        assertProblem(500, "{\"detail\":\"boom" + hostile + "\"}", CliException.ROLLOUT_FAILED, "500: boom ]52;c;aGk=  2J ");
        assertProblem(422, "{\"detail\":\"invalid" + hostile + "\",\"errors\":[{\"field\":\"spec\\u001b\",\"message\":\"bad\\u0007\"}]}",
                CliException.USAGE, "invalid ]52;c;aGk=  2J \n  spec : bad ");
        assertProblem(422, "{\"type\":\"" + Api.ROLLOUT_FAILED + "\",\"detail\":\"failed" + hostile + "\",\"warnings\":[{\"reason\":"
                + "\"R\\u009b\",\"message\":\"m\\u0007\",\"object\":\"o\\r\"}]}", CliException.ROLLOUT_FAILED,
                "rollout failed: failed ]52;c;aGk=  2J \n  warning R : m  (o )");
        assertProblem(403, "{\"detail\":\"no" + hostile + "\"}", CliException.FORBIDDEN, "403 forbidden: no ]52;c;aGk=  2J ");
        assertProblem(500, "{\"detail\":\"" + "z".repeat(Excerpt.MAX_SAID + 5000) + "\"}", CliException.ROLLOUT_FAILED,
                "500: " + "z".repeat(Excerpt.MAX_SAID) + "…");
    }

    private static void assertProblem(int status, String problem, int exitCode, String said) throws IOException {
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(status, problem))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Loopback.run(new ByteArrayOutputStream(), err, server.args("get", "deployments"))).as("%s", err).isEqualTo(exitCode);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("nanolet: " + said + "\n");
        }
    }

    private static void assertSaid(int status, String body, String location, int exitCode, String said) throws IOException {
        try (Loopback server = new Loopback(exchange -> {
            if (location != null) {
                exchange.getResponseHeaders().set("Location", location);
            }
            return new Loopback.Answer(status, body);
        })) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Loopback.run(out, err, server.args("get", "deployments"))).as("%s", err).isEqualTo(exitCode);
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertThat(stderr).as(stderr).startsWith("nanolet: " + said.replace("SERVER", server.url())).hasLineCount(1)
                    .hasSizeLessThan(400).doesNotContain("\u001b");
            assertThat(server.asked).hasSize(1);
        }
    }
}
