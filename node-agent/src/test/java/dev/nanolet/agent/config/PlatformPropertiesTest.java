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
 * How often the node calls platform-api: an interval of 0 or less, which made it call back to back (or, for the lease,
 * fence itself at once), is refused at start, naming the setting.
 */
class PlatformPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PlatformProperties.class)
    static class PropertiesOnly {}

    @Test
    void theShortestIntervalsAndAMissIntervalOfNothingStart() {
        var variables = Map.<String, Object>of("NANOLET_LEASE_RENEW_INTERVAL", "1ms", "NANOLET_PLATFORM_RETRYMIN", "1ms",
                "NANOLET_PLATFORM_RETRYMAX", "1ms", "NANOLET_PLATFORM_ROUTESMISSINTERVAL", "0s");
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, variables)) {
            var props = ctx.getBean(PlatformProperties.class);
            assertThat(props.leaseRenewInterval()).isEqualTo(Duration.ofMillis(1));
            assertThat(props.retryMax()).isEqualTo(Duration.ofMillis(1));
            assertThat(props.routesMissInterval()).isZero();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        NANOLET_LEASE_RENEW_INTERVAL           | 0s    | nanolet.platform.lease-renew-interval (NANOLET_LEASE_RENEW_INTERVAL) must be at least 1ms, not 0s
        NANOLET_LEASE_RENEW_INTERVAL           | -5s   | nanolet.platform.lease-renew-interval (NANOLET_LEASE_RENEW_INTERVAL) must be at least 1ms, not -5s
        NANOLET_PLATFORM_ROUTESREFRESHINTERVAL | 0s    | nanolet.platform.routes-refresh-interval must be at least 1ms, not 0s
        NANOLET_PLATFORM_ROUTESMISSINTERVAL    | -1ms  | nanolet.platform.routes-miss-interval must be at least 0s, not -1ms
        NANOLET_PLATFORM_RETRYMIN              | 0s    | nanolet.platform.retry-min must be at least 1ms, not 0s
        NANOLET_PLATFORM_RETRYMAX              | 100ms | nanolet.platform.retry-max must be at least 500ms (nanolet.platform.retry-min), not 100ms
        NANOLET_PLATFORM_WATCHIDLETIMEOUT      | 0s    | nanolet.platform.watch-idle-timeout must be at least 1ms, not 0s
        NANOLET_LEASE_DURATION                 | 0s    | nanolet.platform.lease-duration (NANOLET_LEASE_DURATION) must be at least 1ms, not 0s
        NANOLET_LEASE_DURATION                 | -15s  | nanolet.platform.lease-duration (NANOLET_LEASE_DURATION) must be at least 1ms, not -15s
        """)
    void anIntervalOfNothingOrLessIsRefusedAtStartNamingItsSetting(String variable, String value, String message) {
        assertThat(EnvironmentBinding.refusal(PropertiesOnly.class, Map.of(variable, value))).isEqualTo(message);
    }
}
