package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.EnvironmentBinding;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The forwarder's settings: a pool of no connection, which failed the node's start with Netty's name for it, or a wait of
 * nothing, is refused at start, naming the setting.
 */
class ForwardingPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ForwardingProperties.class)
    static class PropertiesOnly {}

    @Test
    void aPendingAcquireTimeoutOfNothingStarts() {
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, Map.of("NANOLET_FORWARDING_PENDINGACQUIRETIMEOUT", "0s"))) {
            assertThat(ctx.getBean(ForwardingProperties.class).pendingAcquireTimeout()).isZero();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        NANOLET_FORWARDING_MAXCONNECTIONS        | 0    | nanolet.forwarding.max-connections must be at least 1, not 0
        NANOLET_FORWARDING_CONNECTTIMEOUT        | 0s   | nanolet.forwarding.connect-timeout must be at least 1ms, not 0s
        NANOLET_FORWARDING_RESPONSETIMEOUT       | -1s  | nanolet.forwarding.response-timeout must be at least 1ms, not -1s
        NANOLET_FORWARDING_MAXIDLETIME           | 0s   | nanolet.forwarding.max-idle-time must be at least 1ms, not 0s
        NANOLET_FORWARDING_PENDINGACQUIRETIMEOUT | -1ms | nanolet.forwarding.pending-acquire-timeout must be at least 0s, not -1ms
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String variable, String value, String message) {
        assertThat(EnvironmentBinding.refusal(PropertiesOnly.class, Map.of(variable, value))).isEqualTo(message);
    }
}
