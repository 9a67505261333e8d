package dev.nanolet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    @CsvSource({
        "NANOLET_DATAPLANE_LOGLINES, 0, log-lines",
        "NANOLET_DATAPLANE_LOGLINES, -5, log-lines",
        "NANOLET_GUEST_THREADS, 0, guest-threads (NANOLET_GUEST_THREADS)",
        "NANOLET_DATAPLANE_GUESTQUEUE, 0, guest-queue",
        "NANOLET_DATAPLANE_GUESTQUEUE, -1, guest-queue",
        "NANOLET_MAX_REQUEST_BYTES, 0B, max-request-bytes (NANOLET_MAX_REQUEST_BYTES)",
        "NANOLET_MAX_RESPONSE_BYTES, -1KB, max-response-bytes (NANOLET_MAX_RESPONSE_BYTES)",
        "NANOLET_SHUTDOWN_GRACE, -1s, grace-period (NANOLET_SHUTDOWN_GRACE)"})
    void aValueThatWouldFailLaterIsRefusedAtStartNamingItsSetting(String variable, String value, String named) {
        assertThatThrownBy(() -> bind(Map.of(variable, value)))
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nanolet.data-plane." + named + " must be at least");
    }
}
