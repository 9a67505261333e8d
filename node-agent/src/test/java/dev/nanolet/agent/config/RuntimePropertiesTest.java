package dev.nanolet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.EnvironmentBinding;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.limits.ModuleLimits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The sandbox's limits bind from env through application.yml, and default to what docs/runtime.md says. */
class RuntimePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RuntimeProperties.class)
    static class PropertiesOnly {}

    private static RuntimeProperties bind(Map<String, Object> variables) {
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, variables)) {
            return ctx.getBean(RuntimeProperties.class);
        }
    }

    @Test
    void defaultsAreTheRuntimesDefaults() {
        RuntimeProperties props = bind(Map.of());

        assertThat(props.limits()).isEqualTo(RuntimeLimits.DEFAULTS);
        assertThat(props.overrunGrace()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void everyVariableBinds() {
        RuntimeProperties props = bind(Map.of(
                "NANOLET_MAX_STDOUT_BYTES", "2MB",
                "NANOLET_MAX_STDERR_BYTES", "3KB",
                "NANOLET_MAX_TABLE_ELEMENTS", "500",
                "NANOLET_GUEST_OVERRUN_GRACE", "5s",
                "NANOLET_GUEST_MEMORY", "96MB",
                "NANOLET_RUNTIME_MODULELIMITS_MAXLOCALS", "77"));

        assertThat(props.limits()).isEqualTo(new RuntimeLimits(2L << 20, 3L << 10, 500,
                new ModuleLimits(0, 0, 0, 0, 0, 0, 0, 0, 0, 77), 96L << 20));
        assertThat(props.overrunGrace()).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        NANOLET_GUEST_CPUS   | -1 | nanolet.runtime.guest-cpus (NANOLET_GUEST_CPUS) must be at least 0, not -1
        NANOLET_GUEST_MEMORY | 0B | nanolet.runtime.guest-memory (NANOLET_GUEST_MEMORY) must be at least 1B, not 0B
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String variable, String value, String message) {
        assertThat(EnvironmentBinding.refusal(PropertiesOnly.class, Map.of(variable, value))).isEqualTo(message);
    }
}
