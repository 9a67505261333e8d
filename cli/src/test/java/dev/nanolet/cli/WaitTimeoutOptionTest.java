package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --timeout} of apply, rollout status and rollback is read before anything is sent, as the API reads it. */
class WaitTimeoutOptionTest {
    @TempDir
    Path dir;

    @Test
    void hoursAreTakenAndTheCallWaitsThemWithItsMargin() {
        assertThat(RolloutCommand.httpTimeout("1h")).isEqualTo(Duration.ofHours(1).plusSeconds(30));
        for (String cap : new String[] {"60m", "3600s", "3600", "3600000ms"}) {
            assertThat(RolloutCommand.httpTimeout(cap)).as(cap).isEqualTo(Duration.ofHours(1).plusSeconds(30));
        }
    }

    /**
     * A write that does not wait is answered as any other call, within {@link Api#CALL_TIMEOUT}: apply without --wait waited
     * --timeout plus 30 s for each document (2 min 30 s for one, by default), rollout undo without it 2 min 30 s.
     */
    @Test
    void aWriteThatDoesNotWaitHasTheTimeoutOfAnyCall() {
        assertThat(ApplyCommand.callTimeout(false, "1h", 3)).isEqualTo(Api.CALL_TIMEOUT);
        assertThat(ApplyCommand.callTimeout(false, "120s", 1)).isEqualTo(Api.CALL_TIMEOUT);
        assertThat(RolloutCommand.callTimeout(false, "1h")).isEqualTo(Api.CALL_TIMEOUT);

        assertThat(ApplyCommand.callTimeout(true, "1h", 3)).isEqualTo(Duration.ofHours(1).plusSeconds(30).multipliedBy(3));
        assertThat(RolloutCommand.callTimeout(true, "120s")).isEqualTo(Duration.ofSeconds(150));
        assertThatThrownBy(() -> ApplyCommand.callTimeout(false, "2h", 1)).as("refused all the same").isInstanceOf(CliException.class);
    }

    @Test
    void whatTheApiRefusesIsBadUsage() {
        for (String bad : new String[] {"1.5h", "-1h", "1e9h", "h", "1hh"}) {
            assertBadUsage(bad, "--timeout: must be a duration such as 120s, 2m, 1h or 500ms");
        }
    }

    /** platform-api's cap (WaitTimeout.MAX, its 400 "timeout: must be at most 1h"), checked here. */
    @Test
    void aTimeoutAboveTheApisHourIsBadUsage() {
        for (String bad : new String[] {"2h", "61m", "3601s", "3601", "3600001ms", "9999999h"}) {
            assertBadUsage(bad, "--timeout: must be at most 1h; nothing was sent");
        }
    }

    private static void assertBadUsage(String timeout, String message) {
        assertThatThrownBy(() -> RolloutCommand.httpTimeout(timeout)).as(timeout).isInstanceOf(CliException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.USAGE));
    }

    /** Each command that waits refuses 2h before its first request: apply before uploading the module its manifest names. */
    @Test
    void everyCommandThatWaitsRefusesTooLongATimeoutBeforeSendingAnything() throws IOException {
        Files.write(dir.resolve("app.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web}
                spec: {module: "file:app.wasm", http: {path: /web}, replicas: 2}
                """);
        String manifest = dir.resolve("app.yaml").toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(500, "{\"detail\":\"not expected\"}"))) {
            for (String[] waits : List.of(new String[] {"apply", "-f", manifest, "--wait"}, new String[] {"apply", "-f", manifest, "--dry-run"},
                    new String[] {"rollout", "status", "web"}, new String[] {"rollout", "undo", "web", "--wait"})) {
                err.reset();
                String[] args = java.util.Arrays.copyOf(waits, waits.length + 2);
                args[waits.length] = "--timeout";
                args[waits.length + 1] = "2h";
                assertThat(Loopback.run(out, err, server.args(args))).as(String.join(" ", waits)).isEqualTo(CliException.USAGE);
                assertThat(err.toString(StandardCharsets.UTF_8)).as(String.join(" ", waits))
                        .isEqualTo("nanolet: --timeout: must be at most 1h; nothing was sent\n");
            }
            assertThat(server.asked).isEmpty();
        }
    }
}
