package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.EnvironmentBinding;
import dev.nanolet.agent.NodeAgentApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.WebApplicationType;
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
        assertThatThrownBy(() -> properties(DataSize.ofBytes(0))).hasMessage("nanolet.http.body-budget (NANOLET_BODY_BUDGET) must be at least 1B, not 0B");
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
        Map.of("0", "0B", "-1MB", "-1048576B").forEach((nonsense, read) -> assertThat(EnvironmentBinding.refusal(PropertiesOnly.class,
                Map.of("NANOLET_RESPONSE_BUDGET", nonsense))).as(nonsense)
                .isEqualTo("nanolet.http.response-budget (NANOLET_RESPONSE_BUDGET) must be at least 1B, not " + read));
        assertThatThrownBy(() -> bind(Map.of("NANOLET_RESPONSE_BUDGET", "lots"))).hasStackTraceContaining("nanolet.http.response-budget");
    }

    /**
     * A header limit of nothing failed the node's start with Netty's name for it ({@code maxHeaderSize}); no header field
     * allowed, or no time for a body, refused every request; an idle timeout below a millisecond is none to Netty, which
     * then keeps a silent connection forever.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        NANOLET_MAX_HEADER_BYTES | 0B  | nanolet.http.max-header-bytes (NANOLET_MAX_HEADER_BYTES) must be at least 1B, not 0B
        NANOLET_MAX_HEADERS      | 0   | nanolet.http.max-headers (NANOLET_MAX_HEADERS) must be at least 1, not 0
        NANOLET_MAX_HEADERS      | -3  | nanolet.http.max-headers (NANOLET_MAX_HEADERS) must be at least 1, not -3
        NANOLET_BODY_TIMEOUT     | 0s  | nanolet.http.body-timeout (NANOLET_BODY_TIMEOUT) must be at least 1ms, not 0s
        NANOLET_IDLE_TIMEOUT     | 0s  | nanolet.http.idle-timeout (NANOLET_IDLE_TIMEOUT) must be at least 1ms, not 0s
        NANOLET_IDLE_TIMEOUT     | -1s | nanolet.http.idle-timeout (NANOLET_IDLE_TIMEOUT) must be at least 1ms, not -1s
        NANOLET_BODY_BUDGET      | 0B  | nanolet.http.body-budget (NANOLET_BODY_BUDGET) must be at least 1B, not 0B
        """)
    void aValueThatRefusesEveryRequestIsRefusedAtStartNamingItsSetting(String variable, String value, String message) {
        assertThat(EnvironmentBinding.refusal(PropertiesOnly.class, Map.of(variable, value))).isEqualTo(message);
    }

    /**
     * The node itself, whose listener takes its header limit from {@code nanolet.http.max-header-bytes}: Netty checks that
     * limit when the listener is made, before the node's other beans, and refused a 0 as "maxHeaderSize must be strictly
     * positive", naming no setting of ours.
     */
    @Test
    void theNodeWithAHeaderLimitOfNothingStopsNamingTheSettingBeforeNettyDoes(@TempDir Path dataDir) {
        var variables = Map.<String, Object>of("NANOLET_MAX_HEADER_BYTES", "0", "NANOLET_NODE_PORT", "0",
                "NANOLET_NODE_DATA_DIR", dataDir.toString(), "NANOLET_PLATFORM_URL", "http://127.0.0.1:9");
        assertThat(EnvironmentBinding.refusal(NodeAgentApplication.class, WebApplicationType.REACTIVE, variables))
                .isEqualTo("nanolet.http.max-header-bytes (NANOLET_MAX_HEADER_BYTES) must be at least 1B, not 0B");
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
