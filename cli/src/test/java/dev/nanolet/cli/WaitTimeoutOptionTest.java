package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --timeout} of apply, rollout status and rollback is read before anything is sent, as the API reads it. */
class WaitTimeoutOptionTest {
    @Test
    void hoursAreTakenAndTheCallWaitsThemWithItsMargin() {
        assertThat(RolloutCommand.httpTimeout("1h")).isEqualTo(Duration.ofHours(1).plusSeconds(30));
    }

    @Test
    void whatTheApiRefusesIsBadUsage() {
        for (String bad : new String[] {"1.5h", "-1h", "1e9h", "h", "1hh"}) {
            assertThatThrownBy(() -> RolloutCommand.httpTimeout(bad)).as(bad).isInstanceOf(CliException.class)
                    .hasMessage("--timeout: must be a duration such as 120s, 2m, 1h or 500ms")
                    .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.USAGE));
        }
    }
}
