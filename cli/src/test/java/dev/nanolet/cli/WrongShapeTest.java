package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * JSON of a shape the command does not read (a proxy's {@code {"x":1}}, a {@code []} for an object, a text for a number):
 * "unexpected answer from SERVER: …" on one line, exit 1 as ci.md gives an answer that is not platform-api's, never
 * Jackson's exception with its class names, and nothing written on the strength of it.
 */
class WrongShapeTest {
    @Test
    void aValueOfTheWrongTypeIsAnUnexpectedAnswer() throws IOException {
        assertUnexpected("{\"revision\":\"abc\"}", "rollout", "status", "web");
        assertUnexpected("[]", "tokens", "create", "ci-bot", "--role", "viewer");
    }

    /** An object, or a list whose revisions are no whole numbers: each was read as revision 0, and a rollback to it asked for. */
    @Test
    void revisionsThatAreNoListAreAnUnexpectedAnswerAndNothingIsRolledBack() throws IOException {
        for (String revisions : new String[] {"{\"x\":1}", "[{\"x\":1}]", "[{\"revision\":null,\"current\":true},{\"revision\":\"one\"}]"}) {
            try (Loopback server = assertUnexpected(revisions, "rollout", "undo", "web")) {
                assertThat(server.asked).as(revisions).containsExactly("GET /api/v1/namespaces/ci/deployments/web/revisions");
            }
        }
    }

    /** The brief's proxy answers: {"x":1} for a list or an object, [] for an object. They printed an empty row, exit 0. */
    @Test
    void getOfAListOrAnObjectOfAnotherShapeIsAnUnexpectedAnswer() throws IOException {
        assertUnexpected("{\"x\":1}", "get", "deployments");
        assertUnexpected("{\"x\":1}", "get", "deployment", "web");
        assertUnexpected("[]", "get", "module", "m");
        assertUnexpected("{\"name\":\"n\"}", "get", "events");
        assertUnexpected("[{\"name\":\"web\"}]", "get", "secret", "db");
        assertUnexpected("[1]", "get", "deployments");
        assertUnexpected("[{\"name\":\"web\"},null]", "get", "nodes");
        assertUnexpected("[\"a\"]", "get", "events");
    }

    /** describe, rollout status and history, tokens list: each printed what a proxy's {"x":1} or [] held, exit 0. */
    @Test
    void whatTheOtherReadsPrintIsOfTheShapeTheyRead() throws IOException {
        assertUnexpected("{\"x\":1}", "describe", "deployment", "web");
        assertUnexpected("[]", "describe", "node", "n");
        assertUnexpected("{\"x\":1}", "describe", "module", "m");
        assertUnexpected("{}", "rollout", "status", "web");
        assertUnexpected("{\"revision\":\"one\"}", "rollout", "status", "web");
        assertUnexpected("{\"x\":1}", "rollout", "history", "web");
        assertUnexpected("{\"x\":1}", "tokens", "list");
    }

    /**
     * audit reads a page, an object whose entries are a list of objects and whose next is a whole number or null: it printed
     * a proxy's {"x":1} as an empty table, and entries of [1] as an empty row, exit 0.
     */
    @Test
    void auditReadsAPageOfEntries() throws IOException {
        assertUnexpected("{\"x\":1}", "audit");
        assertUnexpected("[]", "audit");
        assertUnexpected("{\"entries\":{\"id\":1},\"next\":null}", "audit");
        assertUnexpected("{\"entries\":[1],\"next\":null}", "audit", "-o", "json");
        assertUnexpected("{\"entries\":[],\"next\":\"older\"}", "audit");
        assertUnexpected("{\"entries\":[],\"next\":1.5}", "audit", "--all-pages");
    }

    /** The CLI run with {@code args} against a server answering {@code body} said an unexpected answer; the server, closed. */
    private static Loopback assertUnexpected(String body, String... args) throws IOException {
        Loopback server = new Loopback(exchange -> new Loopback.Answer(200, body));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Loopback.run(out, err, server.args(args))).as("%s", err).isEqualTo(CliException.ROLLOUT_FAILED);
        String said = err.toString(StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElse("");
        assertThat(said).as(String.join(" ", args)).startsWith("nanolet: unexpected answer from " + server.url())
                .doesNotContain("tools.jackson", "dev.nanolet", "Exception").hasSizeLessThan(Excerpt.MAX + 120);
        server.close();
        return server;
    }
}
