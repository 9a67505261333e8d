package dev.nanolet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.EnvironmentBinding;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Jobs' restart back-off doubles up to its longest; a base of nothing, which restarted a job back to back, is refused at start. */
class RestartPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RestartProperties.class)
    static class PropertiesOnly {}

    @Test
    void backOffDoublesFromBaseUpToMax() {
        var p = new RestartProperties(Duration.ofSeconds(10), Duration.ofSeconds(300));
        assertThat(p.delay(0)).hasSeconds(10);
        assertThat(p.delay(1)).hasSeconds(20);
        assertThat(p.delay(4)).hasSeconds(160);
        assertThat(p.delay(5)).hasSeconds(300);
        assertThat(p.delay(40)).hasSeconds(300);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        NANOLET_RESTART_BACKOFF_BASE | 0s   | nanolet.restart.backoff.base (NANOLET_RESTART_BACKOFF_BASE) must be at least 1ms, not 0s
        NANOLET_RESTART_BACKOFF_BASE | -10s | nanolet.restart.backoff.base (NANOLET_RESTART_BACKOFF_BASE) must be at least 1ms, not -10s
        NANOLET_RESTART_BACKOFF_MAX  | 5s   | nanolet.restart.backoff.max (NANOLET_RESTART_BACKOFF_MAX) must be at least 10s (nanolet.restart.backoff.base), not 5s
        """)
    void aBackOffOfNothingIsRefusedAtStartNamingItsSetting(String variable, String value, String message) {
        assertThat(EnvironmentBinding.refusal(PropertiesOnly.class, Map.of(variable, value))).isEqualTo(message);
    }
}
