package dev.nanolet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.EnvironmentBinding;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The volumes' check interval binds through application.yml; one the checker cannot be scheduled with is refused at start. */
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
    @ValueSource(strings = {"0s", "999us", "-10s"})
    void aCheckIntervalBelowAMillisecondIsRefusedAtStartNamingItsSetting(String interval) {
        var variables = Map.<String, Object>of("NANOLET_VOLUMES_CHECK_INTERVAL", interval);
        assertThatThrownBy(() -> EnvironmentBinding.run(PropertiesOnly.class, variables).close())
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nanolet.volumes.check-interval (NANOLET_VOLUMES_CHECK_INTERVAL) must be at least 1ms");
    }
}
