package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code rollout undo} of a deployment at its first revision, against a loopback server whose revisions list has only
 * that one: nothing to undo is exit 1 with and without {@code --dry-run} (ci.md's table), never 2, bad usage.
 */
class RolloutUndoTest {
    @Test
    void nothingToUndoIsExitOneWithAndWithoutDryRunAndNothingIsWritten() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(200, "[{\"revision\":1,\"generation\":1,\"current\":true}]"))) {
            for (String[] undo : List.of(new String[] {"rollout", "undo", "web"}, new String[] {"rollout", "undo", "web", "--dry-run"},
                    new String[] {"rollout", "undo", "web", "--wait"})) {
                err.reset();
                assertThat(Loopback.run(out, err, server.args(undo))).as(String.join(" ", undo)).isEqualTo(CliException.ROLLOUT_FAILED);
                assertThat(err.toString(StandardCharsets.UTF_8)).as(String.join(" ", undo)).isEqualTo(
                        "nanolet: nothing to undo: deployment ci/web has no revision before its current one, 1; nothing was sent\n");
            }
            assertThat(server.asked).containsOnly("GET /api/v1/namespaces/ci/deployments/web/revisions");
        }
    }

    /** An empty revision list (no current one to name): it said "its current one, 2147483647". */
    @Test
    void anEmptyRevisionListHasNoEarlierRevisionToReturnTo() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(200, "[]"))) {
            assertThat(Loopback.run(new ByteArrayOutputStream(), err, server.args("rollout", "undo", "web"))).isEqualTo(CliException.ROLLOUT_FAILED);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                    "nanolet: nothing to undo: deployment ci/web has no earlier revision to return to; nothing was sent\n");
            assertThat(server.asked).containsOnly("GET /api/v1/namespaces/ci/deployments/web/revisions");
        }
    }
}
