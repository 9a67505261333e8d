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

/**
 * The volumes' settings bind through application.yml; a check interval the checker cannot be scheduled with, or a limit that no
 * volume fits in, is refused at start.
 */
class VolumePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(VolumeProperties.class)
    static class PropertiesOnly {}

    @Test
    void aMillisecondIsTheShortestCheckInterval() {
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, Map.of("NANOLET_VOLUMES_CHECK_INTERVAL", "1ms"))) {
            assertThat(ctx.getBean(VolumeProperties.class).checkInterval()).isEqualTo(Duration.ofMillis(1));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        NANOLET_VOLUMES_CHECK_INTERVAL | 0s    | nanolet.volumes.check-interval (NANOLET_VOLUMES_CHECK_INTERVAL) must be at least 1ms, not 0s
        NANOLET_VOLUMES_CHECK_INTERVAL | 999us | nanolet.volumes.check-interval (NANOLET_VOLUMES_CHECK_INTERVAL) must be at least 1ms, not PT0.000999S
        NANOLET_VOLUMES_CHECK_INTERVAL | -10s  | nanolet.volumes.check-interval (NANOLET_VOLUMES_CHECK_INTERVAL) must be at least 1ms, not -10s
        NANOLET_VOLUMES_MAX_BYTES      | 0B    | nanolet.volumes.max-bytes (NANOLET_VOLUMES_MAX_BYTES) must be at least 1B, not 0B
        NANOLET_VOLUMES_MAX_BYTES      | -1MB  | nanolet.volumes.max-bytes (NANOLET_VOLUMES_MAX_BYTES) must be at least 1B, not -1048576B
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String variable, String value, String message) {
        assertThat(EnvironmentBinding.refusal(PropertiesOnly.class, Map.of(variable, value))).isEqualTo(message);
    }
}
