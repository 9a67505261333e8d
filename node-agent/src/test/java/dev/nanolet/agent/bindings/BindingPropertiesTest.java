package dev.nanolet.agent.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.EnvironmentBinding;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The delays past a run's deadline bind through application.yml as shipped, default to what docs/bindings.md
 * says, and one no run could use is refused at start.
 */
class BindingPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(BindingProperties.class)
    static class PropertiesOnly {}

    private static BindingProperties bind(Map<String, Object> variables) {
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, variables)) {
            return ctx.getBean(BindingProperties.class);
        }
    }

    @Test
    void theDelaysDefaultToHalfASecondAndOne() {
        BindingProperties props = bind(Map.of());

        assertThat(props).isEqualTo(BindingProperties.DEFAULTS);
        assertThat(props.terminateAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(props.silentServerGrace()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theDelaysBindAndANumberWithoutAUnitIsMilliseconds() {
        BindingProperties props = bind(Map.of("NANOLET_BINDINGS_TERMINATEAFTER", "0", "NANOLET_BINDINGS_SILENTSERVERGRACE", "3s"));

        assertThat(props.terminateAfter()).isZero();
        assertThat(props.silentServerGrace()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aNegativeEndAZeroGraceOrAGraceOfCenturiesIsRefusedAtStart() {
        assertThatThrownBy(() -> bind(Map.of("NANOLET_BINDINGS_TERMINATEAFTER", "-1ms")))
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("terminate-after must be at least 0");
        assertThatThrownBy(() -> bind(Map.of("NANOLET_BINDINGS_TERMINATEAFTER", "0", "NANOLET_BINDINGS_SILENTSERVERGRACE", "0s")))
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below silent-server-grace");
        assertThatThrownBy(() -> bind(Map.of("NANOLET_BINDINGS_SILENTSERVERGRACE", "300000d")))
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("silent-server-grace must be at most");
    }
}
