package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * A hostile or broken server's text never puts a control sequence on the terminal, whichever command prints it, in a
 * table, a progress line, a log line or as JSON: each C0 and C1 control (ESC, U+009B, a terminal's CSI), DEL, bidi
 * override and line separator it holds is a space; a table's cell stays on its row. Each was printed as it came.
 */
class HostileTextTest {
    /** JSON escapes: ESC [2J clears the screen, U+009B is CSI, U+202E turns the text around, U+2028 breaks the line. */
    static final String HOSTILE = "\\u001b[2J\\u009b2J\\u007f\\u202eevil\\u2028\\r\\nrow\\u0007";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aTablesCellsHoldNoControlAndStayOnTheirRow() throws IOException {
        assertClean(0, "[{\"namespace\":\"ci\",\"name\":\"web" + HOSTILE + "\",\"spec\":{\"module\":\"m" + HOSTILE + "\"}}]",
                "get", "deployments");
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(2).last().asString().startsWith("ci ").contains("web [2J 2J");
        assertClean(0, "[{\"name\":\"n\",\"labels\":{\"zone\":\"a" + HOSTILE + "\"}}]", "get", "nodes");
        assertClean(0, "[{\"time\":\"t\",\"type\":\"Warning\",\"reason\":\"R" + HOSTILE + "\",\"message\":\"m" + HOSTILE + "\"}]",
                "get", "events");
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
    }

    @Test
    void aLogLineAndJsonHoldNoControl() throws IOException {
        assertClean(0, "data: {\"replica\":\"r1\",\"line\":\"up" + HOSTILE + "\"}\n\n", "logs", "web");
        assertClean(0, "[{\"name\":\"web" + HOSTILE + "\"}]", "get", "deployments", "-o", "json");
        assertThat(Api.JSON.readTree(out.toString(StandardCharsets.UTF_8)).path(0).path("name").asString())
                .as("escaped, not a space: the value as the server sent it").isEqualTo(Api.JSON.readTree("\"web" + HOSTILE + "\"").asString());
        assertClean(0, "[{\"name\":\"web" + HOSTILE + "\"}]", "get", "deployments", "-o", "yaml");
    }

    /** An error's line and the progress lines that name what the server answered: the pruned deployments' names. */
    @Test
    void stderrHoldsNoControl() throws IOException {
        assertClean(1, "{\"entries\":[],\"next\":\"" + HOSTILE + "\"}", "audit");
        assertClean(1, "{\"detail\":\"no" + HOSTILE + "\"}", "rollout", "status", "web");
    }

    /** A grant in the empty namespace showed as "@" (its role missing too) or "viewer@", as if none were named. */
    @Test
    void tokensListShowsAnEmptyNamespaceAndAMissingRole() throws IOException {
        assertClean(0, "[{\"id\":\"t1\",\"name\":\"ci\",\"grants\":[{\"namespace\":\"\"},{\"role\":\"viewer\",\"namespace\":\"\"},"
                + "{\"role\":\"admin\",\"namespace\":null},{\"role\":\"deployer\",\"namespace\":\"shop" + HOSTILE + "\"},"
                + "{\"role\":\"admin\"},{\"role\":\"admin\",\"namespace\":5}]}]", "tokens", "list");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("[?@\"\", viewer@\"\", admin@*, deployer@shop [2J 2J")
                .as("a namespace that is no text is not cluster-wide").contains(", admin@*, admin@5]");
    }

    /** login's list of the token's namespaces, from /tokens/self, and the one it saves when it is the only one. */
    @Test
    void loginSaysTheServersNamespacesWithoutControls() throws IOException {
        try {
            assertClean(0, "{\"grants\":[{\"role\":\"viewer\",\"namespace\":\"a" + HOSTILE + "\"},{\"role\":\"viewer\",\"namespace\":\"b\"}]}",
                    "login");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("the token may use namespaces a [2J 2J");
            assertClean(0, "{\"grants\":[{\"role\":\"viewer\",\"namespace\":\"a" + HOSTILE + "\"}]}", "login");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("(namespace a [2J 2J");
        } finally {
            Files.deleteIfExists(Config.file());
        }
    }

    /** The CLI run with {@code args} against a server answering {@code body} to every request exits {@code exitCode}, and writes no control. */
    private void assertClean(int exitCode, String body, String... args) throws IOException {
        out.reset();
        err.reset();
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(body.startsWith("{\"detail") ? 500 : 200, body))) {
            String[] all = args[0].equals("login") ? new String[] {"login", "--server", server.url(), "--token", "t"} : server.args(args);
            assertThat(Loopback.run(out, err, all)).as("%s", err).isEqualTo(exitCode);
        }
        for (ByteArrayOutputStream written : new ByteArrayOutputStream[] {out, err}) {
            String text = written.toString(StandardCharsets.UTF_8);
            assertThat(text.codePoints().filter(c -> c != '\n' && Terminal.isControl(c)).mapToObj(Integer::toHexString))
                    .as(String.join(" ", args) + ": " + text).isEmpty();
        }
    }
}
