package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.reactor.netty.autoconfigure.NettyServerProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An idle timeout Netty takes as none (under 1 ms, or empty) kept a silent connection to the dashboard forever: the
 * dashboard does not start, and says which setting is wrong. The variable goes through application.properties as shipped.
 */
class IdleTimeoutFloorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        0s     | 0s
        -1s    | -1s
        500us  | PT0.0005S
        ''     | 0s
        """)
    void anIdleTimeoutNettyTakesAsNoneStopsTheStartNamingItsSetting(String value, String read) {
        assertThatThrownBy(() -> start(value).close()).rootCause()
                .hasMessage("server.netty.idle-timeout (NANOLET_UI_IDLE_TIMEOUT) must be at least 1ms, not " + read);
    }

    @ParameterizedTest
    @CsvSource({"1ms, PT0.001S", "60s, PT60S"})
    void aTimeoutOfAMillisecondOrMoreStarts(String value, Duration read) {
        try (ConfigurableApplicationContext ui = start(value)) {
            assertThat(ui.getBean(NettyServerProperties.class).getIdleTimeout()).isEqualTo(read);
        }
    }

    /** Placeholders such as {@code ${NANOLET_UI_IDLE_TIMEOUT:60s}} read every property source, default properties too. */
    private static ConfigurableApplicationContext start(String idleTimeout) {
        return new SpringApplicationBuilder(AdminUiApplication.class).web(WebApplicationType.REACTIVE)
                .properties("NANOLET_UI_IDLE_TIMEOUT=" + idleTimeout, "server.port=0").run();
    }
}
