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
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * A listener setting Netty cannot work with stops the dashboard's start, naming the setting: an idle timeout Netty takes as
 * none (under 1 ms, or empty) kept a silent connection forever, and a header limit of 0 stopped the start with Netty's own
 * message, naming no setting. The variables go through application.properties as shipped.
 */
class ListenerLimitsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        0s     | 0s
        -1s    | -1s
        500us  | PT0.0005S
        ''     | empty
        """)
    void anIdleTimeoutNettyTakesAsNoneStopsTheStartNamingItsSetting(String value, String read) {
        assertThatThrownBy(() -> start("NANOLET_UI_IDLE_TIMEOUT=" + value).close()).rootCause()
                .hasMessage("server.netty.idle-timeout (NANOLET_UI_IDLE_TIMEOUT) must be at least 1ms, not " + read);
    }

    @ParameterizedTest
    @CsvSource({"1ms, PT0.001S", "60s, PT60S"})
    void aTimeoutOfAMillisecondOrMoreStarts(String value, Duration read) {
        try (ConfigurableApplicationContext ui = start("NANOLET_UI_IDLE_TIMEOUT=" + value)) {
            assertThat(ui.getBean(NettyServerProperties.class).getIdleTimeout()).isEqualTo(read);
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 0B", "0KB, 0B"})
    void aHeaderLimitOfNothingStopsTheStartNamingItsSetting(String value, String read) {
        assertThatThrownBy(() -> start("NANOLET_UI_MAX_HEADER_BYTES=" + value).close()).rootCause()
                .hasMessage("server.max-http-request-header-size (NANOLET_UI_MAX_HEADER_BYTES) must be at least 1B, not " + read);
    }

    /**
     * Placeholders such as {@code ${NANOLET_UI_IDLE_TIMEOUT:60s}} read every property source, default properties too. The
     * dashboard gets event loops of its own: by default it shares Reactor Netty's global ones and stops them when it closes,
     * which left the fake platform-api of every later {@link UiTest} in this JVM dead (each sign-in "unavailable").
     */
    private static ConfigurableApplicationContext start(String variable) {
        return new SpringApplicationBuilder(AdminUiApplication.class).web(WebApplicationType.REACTIVE)
                .initializers(ui -> ((GenericApplicationContext) ui).registerBean(ReactorResourceFactory.class, ListenerLimitsTest::ownLoops))
                .properties(variable, "server.port=0").run();
    }

    private static ReactorResourceFactory ownLoops() {
        ReactorResourceFactory loops = new ReactorResourceFactory();
        loops.setUseGlobalResources(false);
        return loops;
    }
}
