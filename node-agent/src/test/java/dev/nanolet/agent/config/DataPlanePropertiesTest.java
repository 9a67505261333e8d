package dev.nanolet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.EnvironmentBinding;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The data plane's settings bind through application.yml, and a value that would fail later is refused at start. */
class DataPlanePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DataPlaneProperties.class)
    static class PropertiesOnly {}

    private static DataPlaneProperties bind(Map<String, Object> variables) {
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, variables)) {
            return ctx.getBean(DataPlaneProperties.class);
        }
    }

    @Test
    void theDefaultsStart() {
        DataPlaneProperties props = bind(Map.of());

        assertThat(props.logLines()).isEqualTo(1000);
        assertThat(props.guestThreads()).isEqualTo(32);
    }

    @Test
    void aZeroGracePeriodIsAllowed() {
        assertThat(bind(Map.of("NANOLET_SHUTDOWN_GRACE", "0s")).gracePeriod()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        NANOLET_DATAPLANE_LOGLINES   | 0     | nanolet.data-plane.log-lines must be at least 1, not 0
        NANOLET_DATAPLANE_LOGLINES   | -5    | nanolet.data-plane.log-lines must be at least 1, not -5
        NANOLET_GUEST_THREADS        | 0     | nanolet.data-plane.guest-threads (NANOLET_GUEST_THREADS) must be at least 1, not 0
        NANOLET_DATAPLANE_GUESTQUEUE | 0     | nanolet.data-plane.guest-queue must be at least 1, not 0
        NANOLET_DATAPLANE_GUESTQUEUE | -1    | nanolet.data-plane.guest-queue must be at least 1, not -1
        NANOLET_MAX_REQUEST_BYTES    | 0B    | nanolet.data-plane.max-request-bytes (NANOLET_MAX_REQUEST_BYTES) must be at least 1B, not 0B
        NANOLET_MAX_RESPONSE_BYTES   | -1KB  | nanolet.data-plane.max-response-bytes (NANOLET_MAX_RESPONSE_BYTES) must be at least 1B, not -1024B
        NANOLET_SHUTDOWN_GRACE       | -1s   | nanolet.data-plane.grace-period (NANOLET_SHUTDOWN_GRACE) must be at least 0s, not -1s
        """)
    void aValueThatWouldFailLaterIsRefusedAtStartNamingItsSetting(String variable, String value, String message) {
        assertThat(EnvironmentBinding.refusal(PropertiesOnly.class, Map.of(variable, value))).isEqualTo(message);
    }
}
