package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.EnvironmentBinding;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Kubernetes mode's settings bind through application.yml; a value the node would fail on later is refused at start, by name. */
class KubernetesPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(KubernetesProperties.class)
    static class PropertiesOnly {}

    @Test
    void theBoundsThemselvesBind() {
        var variables = Map.<String, Object>of("NANOLET_KUBELET_PORT", "65535", "NANOLET_NODE_LEASE_DURATION", "1s",
                "NANOLET_KUBERNETES_RESYNC", "1s", "NANOLET_PULL_TIMEOUT", "1ms");
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, variables)) {
            var props = ctx.getBean(KubernetesProperties.class);
            assertThat(props.kubeletPort()).isEqualTo(65535);
            assertThat(props.leaseDuration()).isEqualTo(Duration.ofSeconds(1));
            assertThat(props.resync()).isEqualTo(Duration.ofSeconds(1));
            assertThat(props.pullTimeout()).isEqualTo(Duration.ofMillis(1));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            NANOLET_KUBELET_PORT        | 0     | nanolet.kubernetes.kubelet-port (NANOLET_KUBELET_PORT) must be between 1 and 65535, not 0
            NANOLET_KUBELET_PORT        | -1    | nanolet.kubernetes.kubelet-port (NANOLET_KUBELET_PORT) must be between 1 and 65535, not -1
            NANOLET_KUBELET_PORT        | 65536 | nanolet.kubernetes.kubelet-port (NANOLET_KUBELET_PORT) must be between 1 and 65535, not 65536
            NANOLET_NODE_LEASE_DURATION | 0s    | nanolet.kubernetes.lease-duration (NANOLET_NODE_LEASE_DURATION) must be at least 1s, not 0s
            NANOLET_NODE_LEASE_DURATION | 999ms | nanolet.kubernetes.lease-duration (NANOLET_NODE_LEASE_DURATION) must be at least 1s, not 999ms
            NANOLET_NODE_LEASE_DURATION | -40s  | nanolet.kubernetes.lease-duration (NANOLET_NODE_LEASE_DURATION) must be at least 1s, not -40s
            NANOLET_KUBERNETES_RESYNC   | 0s    | nanolet.kubernetes.resync must be at least 1s, not 0s
            NANOLET_KUBERNETES_RESYNC   | -60s  | nanolet.kubernetes.resync must be at least 1s, not -1m
            NANOLET_PULL_TIMEOUT        | 0s    | nanolet.kubernetes.pull-timeout (NANOLET_PULL_TIMEOUT) must be at least 1ms, not 0s
            NANOLET_PULL_TIMEOUT        | 999us | nanolet.kubernetes.pull-timeout (NANOLET_PULL_TIMEOUT) must be at least 1ms, not PT0.000999S
            NANOLET_PULL_TIMEOUT        | -5m   | nanolet.kubernetes.pull-timeout (NANOLET_PULL_TIMEOUT) must be at least 1ms, not -5m
            """)
    void aValueTheNodeWouldFailOnLaterIsRefusedAtStartNamingTheSettingTheValueAndTheBound(String variable, String value, String message) {
        var variables = Map.<String, Object>of(variable, value);
        assertThatThrownBy(() -> EnvironmentBinding.run(PropertiesOnly.class, variables).close())
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
