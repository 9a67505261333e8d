package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every write sends an {@code X-Request-Id} of its own, a new one each time (a read none), so that a write whose outcome
 * its answer leaves open (a 5xx, a rollout that failed after the write) names the id under which the audit lists what it
 * did; before, only the server's answer said an id, and a failure message none.
 */
class WriteRequestIdTest {
    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Test
    void eachWriteSendsItsOwnIdAndAReadNone() throws IOException {
        try (Loopback server = new Loopback(exchange -> {
            sent.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst(Api.REQUEST_ID));
            return new Loopback.Answer(200, "{}");
        })) {
            Api api = new Api(new Config(server.url(), "t", "ci"));
            api.json("POST", "/api/v1/namespaces/ci/deployments/web/rollback", null);
            api.json("POST", "/api/v1/namespaces/ci/deployments/web/rollback", null);
            api.get("/api/v1/namespaces/ci/deployments/web");
        }
        assertThat(sent).hasSize(3).last().isEqualTo("GET null");
        assertThat(sent.subList(0, 2)).allMatch(s -> s.matches("POST [0-9a-f-]{36}")).doesNotHaveDuplicates();
    }

    @Test
    void aWritesFiveHundredOrFailedRolloutNamesItsIdAndARefusalDoesNot() throws IOException {
        assertThat(said(503, "{\"detail\":\"the database is unreachable\"}", CliException.ROLLOUT_FAILED))
                .isEqualTo("nanolet: 503: the database is unreachable\n  request id ID: nanolet audit --request-id ID lists what it did\n");
        assertThat(said(422, "{\"type\":\"" + Api.ROLLOUT_FAILED + "\",\"detail\":\"web: not available\"}", CliException.ROLLOUT_FAILED))
                .isEqualTo("nanolet: rollout failed: web: not available\n  request id ID: nanolet audit --request-id ID lists what it did\n");
        assertThat(said(422, "{\"detail\":\"replicas: must be at least 0\"}", CliException.USAGE))
                .isEqualTo("nanolet: replicas: must be at least 0\n");
    }

    /** What {@code nanolet rollout undo web --to-revision 1} printed on stderr for {@code problem}, the id the server got written {@code ID}. */
    private String said(int status, String problem, int exitCode) throws IOException {
        sent.clear();
        try (Loopback server = new Loopback(exchange -> {
            sent.add(exchange.getRequestHeaders().getFirst(Api.REQUEST_ID));
            return new Loopback.Answer(status, problem);
        })) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Loopback.run(new ByteArrayOutputStream(), err, server.args("rollout", "undo", "web", "--to-revision", "1"))).as("%s", err)
                    .isEqualTo(exitCode);
            assertThat(sent).singleElement().isNotNull();
            String stderr = err.toString(StandardCharsets.UTF_8);
            return stderr.substring(stderr.indexOf("nanolet: ")).replace(sent.getFirst(), "ID");
        }
    }
}
