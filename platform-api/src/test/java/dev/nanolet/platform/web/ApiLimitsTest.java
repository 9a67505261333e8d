package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.SettingsBinding;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A body size of nothing would answer every request 413, a cap of no followed logs refuse every follow, a tail time of zero
 * cut every tail: platform-api does not start, and says which setting.
 */
class ApiLimitsTest {

    @Test
    void oneFollowAndAMillisecondOfTailAreTaken() {
        ApiLimits limits = SettingsBinding.bind(ApiLimits.class,
                Map.of("nanolet.api.max-log-follows-per-token", "1", "nanolet.api.log-tail-time", "1ms", "nanolet.api.max-body-size", "1B"));

        assertThat(limits.maxLogFollowsPerToken()).isEqualTo(1);
        assertThat(limits.logTailTime()).isEqualTo(Duration.ofMillis(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        nanolet.api.max-body-size             | 0B  | nanolet.api.max-body-size (NANOLET_API_MAX_BODY_SIZE) must be at least 1B, not 0B
        nanolet.api.max-log-follows-per-token | 0   | nanolet.api.max-log-follows-per-token (NANOLET_API_MAX_LOG_FOLLOWS_PER_TOKEN) must be at least 1, not 0
        nanolet.api.log-tail-time             | 0s  | nanolet.api.log-tail-time (NANOLET_API_LOG_TAIL_TIME) must be at least 1ms, not 0s
        nanolet.api.log-tail-time             | -1s | nanolet.api.log-tail-time (NANOLET_API_LOG_TAIL_TIME) must be at least 1ms, not -1s
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String setting, String value, String message) {
        assertThat(SettingsBinding.refusal(ApiLimits.class, setting, value)).isEqualTo(message);
    }
}
