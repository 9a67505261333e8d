package dev.nanolet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.EnvironmentBinding;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A node's capacity below 0, which platform-api refuses (the node retried its registration for ever), is refused at start,
 * naming the setting; a capacity of 0 registers, and starts.
 */
class NodePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(NodeProperties.class)
    @Import(LabelsConverter.class)
    static class PropertiesOnly {}

    @Test
    void aCapacityOfNothingStarts() {
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, Map.of("NANOLET_NODE_INSTANCES", "0", "NANOLET_NODE_MEMORY_MIB", "0"))) {
            assertThat(ctx.getBean(NodeProperties.class).instances()).isZero();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        NANOLET_NODE_INSTANCES  | -1 | nanolet.node.instances (NANOLET_NODE_INSTANCES) must be at least 0, not -1
        NANOLET_NODE_MEMORY_MIB | -4 | nanolet.node.memory-mib (NANOLET_NODE_MEMORY_MIB) must be at least 0, not -4
        """)
    void aCapacityBelowNothingIsRefusedAtStartNamingItsSetting(String variable, String value, String message) {
        assertThat(EnvironmentBinding.refusal(PropertiesOnly.class, Map.of(variable, value))).isEqualTo(message);
    }
}
