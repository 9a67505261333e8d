package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server that took the request but did not answer in time is not unreachable: exit 1 (ci.md's table), saying how long
 * the CLI waited, since the request may have been carried out; a refused connection stays exit 4.
 */
class NoAnswerTest {
    @Test
    void aServerThatTookTheRequestButDidNotAnswerInTimeIsExitOneNotUnreachable() throws IOException {
        CountDownLatch answer = new CountDownLatch(1);
        try (Loopback server = new Loopback(exchange -> {
            try {
                answer.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Loopback.Answer(200, "{}");
        })) {
            try {
                Api api = new Api(new Config(server.url(), "t", "ci"));
                assertThatThrownBy(() -> api.json("POST", "/api/v1/namespaces/ci/deployments/web/rollback", null, Duration.ofMillis(300)))
                        .isInstanceOfSatisfying(CliException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(CliException.ROLLOUT_FAILED);
                            assertThat(e.getMessage()).isEqualTo("no answer from " + server.url() + " within 0.3 s to POST "
                                    + "/api/v1/namespaces/ci/deployments/web/rollback: it may still have done what was asked; check before retrying");
                        });
            } finally {
                answer.countDown();
            }
        }
    }

    @Test
    void aRefusedConnectionStaysUnreachable() throws IOException {
        String url;
        try (Loopback closed = new Loopback(exchange -> new Loopback.Answer(200, "{}"))) {
            url = closed.url();
        }
        Api api = new Api(new Config(url, "t", "ci"));
        assertThatThrownBy(() -> api.json("GET", "/api/v1/nodes", null, Duration.ofMillis(300)))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(CliException.UNREACHABLE);
                    assertThat(e.getMessage()).startsWith("cannot reach " + url);
                });
    }
}
