package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.EnvironmentBinding;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** The body budget defaults to a share of the heap that leaves room for guests, responses and the node itself. */
class HttpPropertiesTest {

    @Test
    void theBodyBudgetIsAnEighthOfTheHeapUpTo256MB() {
        assertThat(HttpProperties.defaultBodyBudget(512L << 20)).as("./nanolet up's nodes").isEqualTo(64L << 20);
        assertThat(HttpProperties.defaultBodyBudget(1152L << 20)).as("the image under the chart's 1536Mi limit").isEqualTo(144L << 20);
        assertThat(HttpProperties.defaultBodyBudget(8L << 30)).isEqualTo(256L << 20);
    }

    @Test
    void unsetIsTheDefaultSetIsKeptAndZeroIsRefused() {
        assertThat(properties(null).bodyBudget().toBytes()).isEqualTo(HttpProperties.defaultBodyBudget(Runtime.getRuntime().maxMemory()));
        assertThat(properties(DataSize.ofMegabytes(3)).bodyBudget()).isEqualTo(DataSize.ofMegabytes(3));
        assertThatThrownBy(() -> properties(DataSize.ofBytes(0))).hasMessageContaining("nanolet.http.body-budget must be positive");
    }

    @Test
    void throughApplicationYmlUnsetIsTheDefaultAndTheVariableIsTheBudget() {
        assertThat(bind(Map.of()).bodyBudget().toBytes()).isEqualTo(HttpProperties.defaultBodyBudget(Runtime.getRuntime().maxMemory()));
        assertThat(bind(Map.of("NANOLET_BODY_BUDGET", "3MB")).bodyBudget()).isEqualTo(DataSize.ofMegabytes(3));
    }

    /** A budget of nothing, or less, refuses every response past its first 256 KiB: the node does not start, and says why. */
    @Test
    void theResponseBudgetIsSetByItsVariableAndOnlyAPositiveOneStarts() {
        assertThat(bind(Map.of()).responseBudget()).isEqualTo(DataSize.ofMegabytes(64));
        assertThat(bind(Map.of("NANOLET_RESPONSE_BUDGET", "3MB")).responseBudget()).isEqualTo(DataSize.ofMegabytes(3));
        Map.of("0", "0B", "-1MB", "-1048576B").forEach((nonsense, read) -> assertThatThrownBy(() -> bind(Map.of("NANOLET_RESPONSE_BUDGET",
                nonsense))).as(nonsense).hasStackTraceContaining("nanolet.http.response-budget (NANOLET_RESPONSE_BUDGET) must be positive, not " + read));
        assertThatThrownBy(() -> bind(Map.of("NANOLET_RESPONSE_BUDGET", "lots"))).hasStackTraceContaining("nanolet.http.response-budget");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(HttpProperties.class)
    static class PropertiesOnly {}

    private static HttpProperties bind(Map<String, Object> variables) {
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, variables)) {
            return ctx.getBean(HttpProperties.class);
        }
    }

    private static HttpProperties properties(DataSize bodyBudget) {
        return new HttpProperties(Duration.ofSeconds(30), Duration.ofSeconds(60), DataSize.ofKilobytes(16), 100, bodyBudget,
                DataSize.ofMegabytes(64), "NANOLET_SESSION");
    }
}
