package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rollout undo} of a deployment at its first revision, against a loopback server whose revisions list has only
 * that one: nothing to undo is exit 1 with and without {@code --dry-run} (ci.md's table), never 2, bad usage.
 */
class RolloutUndoTest {
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Loopback server;

    @BeforeEach
    void start() throws IOException {
        server = new Loopback(exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            return new Loopback.Answer(200, "[{\"revision\":1,\"generation\":1,\"current\":true}]");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void nothingToUndoIsExitOneWithAndWithoutDryRunAndNothingIsWritten() {
        for (String[] undo : List.of(new String[] {"rollout", "undo", "web"}, new String[] {"rollout", "undo", "web", "--dry-run"},
                new String[] {"rollout", "undo", "web", "--wait"})) {
            err.reset();
            String[] args = java.util.Arrays.copyOf(undo, undo.length + 6);
            System.arraycopy(new String[] {"--server", server.url(), "--token", "t", "-n", "ci"}, 0, args, undo.length, 6);
            assertThat(Loopback.run(out, err, args)).as(String.join(" ", undo)).isEqualTo(CliException.ROLLOUT_FAILED);
            assertThat(err.toString(StandardCharsets.UTF_8)).as(String.join(" ", undo)).isEqualTo(
                    "nanolet: nothing to undo: deployment ci/web has no revision before its current one, 1; nothing was sent\n");
        }
        assertThat(asked).containsOnly("GET /api/v1/namespaces/ci/deployments/web/revisions");
    }
}
