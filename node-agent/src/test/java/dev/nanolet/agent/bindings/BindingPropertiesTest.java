package dev.nanolet.agent.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.EnvironmentBinding;
import dev.nanolet.agent.config.RuntimeProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The delays past a run's deadline bind through application.yml as shipped, default to what docs/bindings.md
 * says, and one no run could use is refused at start.
 */
class BindingPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(BindingProperties.class)
    static class PropertiesOnly {}

    /** Where the bindings' delays meet the overrun grace: the node's pools, with the runtime's settings bound beside them. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RuntimeProperties.class)
    @Import(BindingPools.class)
    static class Pools {
        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }

    private static BindingProperties bind(Map<String, Object> variables) {
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, variables)) {
            return ctx.getBean(BindingProperties.class);
        }
    }

    @Test
    void theDelaysDefaultToHalfASecondAndOneWithinTheDefaultOverrunGrace() {
        BindingProperties props = bind(Map.of()).within(Duration.ofSeconds(2));

        assertThat(props).isEqualTo(BindingProperties.DEFAULTS);
        assertThat(props.terminateAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(props.silentServerGrace()).isEqualTo(Duration.ofSeconds(1));
    }

    /** An operator who lowers only {@code NANOLET_GUEST_OVERRUN_GRACE} gets both delays lowered with it, and the node starts. */
    @Test
    void unsetDelaysFollowALoweredOverrunGrace() {
        BindingProperties props = bind(Map.of()).within(Duration.ofMillis(300));

        assertThat(props.silentServerGrace()).isEqualTo(Duration.ofMillis(150));
        assertThat(props.terminateAfter()).isEqualTo(Duration.ofMillis(75));
        assertThat(bind(Map.of("NANOLET_BINDINGS_TERMINATEAFTER", "100ms")).within(Duration.ofMillis(300)).terminateAfter())
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theDelaysBindAndANumberWithoutAUnitIsMilliseconds() {
        BindingProperties props = bind(Map.of("NANOLET_BINDINGS_TERMINATEAFTER", "0", "NANOLET_BINDINGS_SILENTSERVERGRACE", "3000"))
                .within(Duration.ofSeconds(5));

        assertThat(props.terminateAfter()).isZero();
        assertThat(props.silentServerGrace()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aZeroGraceOrAGraceOfCenturiesIsRefusedAtStart() {
        assertThatThrownBy(() -> bind(Map.of("NANOLET_BINDINGS_TERMINATEAFTER", "0", "NANOLET_BINDINGS_SILENTSERVERGRACE", "0s")))
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below silent-server-grace");
        assertThatThrownBy(() -> bind(Map.of("NANOLET_BINDINGS_SILENTSERVERGRACE", "300000d")))
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("silent-server-grace must be at most");
    }

    /** A limit of nothing refused every query, value or key listing; each is refused at start, naming which one. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        NANOLET_BINDING_MAX_ROWS             | 0   | nanolet.bindings.max-rows (NANOLET_BINDING_MAX_ROWS) must be at least 1, not 0
        NANOLET_BINDING_MAX_RESULT_BYTES     | 0B  | nanolet.bindings.max-result-bytes (NANOLET_BINDING_MAX_RESULT_BYTES) must be at least 1B, not 0B
        NANOLET_BINDINGS_MAXREQUESTBYTES     | -1B | nanolet.bindings.max-request-bytes must be at least 1B, not -1B
        NANOLET_BINDINGS_MAXKEYBYTES         | 0B  | nanolet.bindings.max-key-bytes must be at least 1B, not 0B
        NANOLET_BINDING_MAX_VALUE_BYTES      | 0B  | nanolet.bindings.max-value-bytes (NANOLET_BINDING_MAX_VALUE_BYTES) must be at least 1B, not 0B
        NANOLET_BINDINGS_MAXKEYS             | 0   | nanolet.bindings.max-keys must be at least 1, not 0
        NANOLET_BINDING_MAX_POOL_SIZE        | -2  | nanolet.bindings.max-pool-size (NANOLET_BINDING_MAX_POOL_SIZE) must be at least 1, not -2
        NANOLET_BINDINGS_TERMINATEAFTER      | -1ms | nanolet.bindings.terminate-after must be at least 0s, not -1ms
        """)
    void aLimitOfNothingIsRefusedAtStartNamingWhichOne(String variable, String value, String message) {
        assertThat(EnvironmentBinding.refusal(PropertiesOnly.class, Map.of(variable, value))).isEqualTo(message);
    }

    /** A terminate-after set at or above the grace that an unset silent-server grace takes from the overrun grace is refused. */
    @Test
    void aTerminateAfterNotBelowTheDerivedGraceIsRefused() {
        BindingProperties props = bind(Map.of("NANOLET_BINDINGS_TERMINATEAFTER", "500ms"));

        assertThatThrownBy(() -> props.within(Duration.ofMillis(600)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("terminate-after (PT0.5S) must be below silent-server-grace (PT0.3S)");
    }

    /**
     * A silent-server grace set at or above the overrun grace is refused, naming both settings: the guest pool would write off
     * the thread of a run blocked on a silent database before its read failed.
     */
    @Test
    void anExplicitGraceNotBelowTheOverrunGraceIsRefused() {
        BindingProperties props = bind(Map.of("NANOLET_BINDINGS_SILENTSERVERGRACE", "1s"));

        assertThat(props.within(Duration.ofMillis(1001)).silentServerGrace()).isEqualTo(Duration.ofSeconds(1));
        for (Duration overrun : List.of(Duration.ofSeconds(1), Duration.ofMillis(300))) {
            assertThatThrownBy(() -> props.within(overrun)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nanolet.bindings.silent-server-grace (PT1S) must be below nanolet.runtime.overrun-grace")
                    .hasMessageContaining("NANOLET_GUEST_OVERRUN_GRACE, " + overrun);
        }
    }

    /**
     * A read's timeout is whole milliseconds and 0 is none: a silent-server grace below 1 ms (half an overrun grace of 0 or
     * 1 ms, or set so) is refused, saying which setting to raise, instead of a rollback past the deadline that waited on a
     * silent database for ever (or, with an overrun grace of 0, a refusal that told the operator to unset what was unset).
     */
    @Test
    void aGraceBelowAMillisecondIsRefusedNamingTheSettingToRaise() {
        BindingProperties unset = bind(Map.of());
        for (Duration overrun : List.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofNanos(1))) {
            assertThatThrownBy(() -> unset.within(overrun)).as("%s", overrun).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be at least 1ms").hasMessageContaining("NANOLET_GUEST_OVERRUN_GRACE, " + overrun + "): set that to 2ms or more");
        }
        assertThat(unset.within(Duration.ofMillis(2)).silentServerGrace()).isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> bind(Map.of("NANOLET_BINDINGS_TERMINATEAFTER", "0", "NANOLET_BINDINGS_SILENTSERVERGRACE", "500us"))
                .within(Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nanolet.bindings.silent-server-grace (PT0.0005S) must be at least 1ms, or a read from a silent database past a run's deadline waits for ever");
    }

    /**
     * At start, through the node's own beans: a lowered {@code NANOLET_GUEST_OVERRUN_GRACE} alone starts, with the delays
     * half of it; a silent-server grace set not below it does not, naming both settings.
     */
    @Test
    void aNodeStartsWithALoweredOverrunGraceAndNotWithAGraceAtOrAboveIt() {
        try (var ctx = EnvironmentBinding.run(Pools.class, Map.of("NANOLET_GUEST_OVERRUN_GRACE", "300ms"))) {
            assertThat(ctx.getBean(BindingPools.class)).isNotNull();
        }
        assertThatThrownBy(() -> EnvironmentBinding.run(Pools.class, Map.of("NANOLET_GUEST_OVERRUN_GRACE", "300ms",
                "NANOLET_BINDINGS_SILENTSERVERGRACE", "1s")).close())
                .rootCause().hasMessageContaining("nanolet.bindings.silent-server-grace (PT1S) must be below nanolet.runtime.overrun-grace");
    }
}
