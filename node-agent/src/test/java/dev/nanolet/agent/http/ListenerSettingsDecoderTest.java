package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.netty.http.server.HttpServer;

/** Reactor Netty makes each request decoder anew: the listener's settings keep what else the decoder was given (Boot's {@code server.netty.*}). */
class ListenerSettingsDecoderTest {

    @Test
    void theHeaderLimitAndIdleTimeoutAreSetAndTheRestOfTheDecoderIsKept() {
        var http = new HttpProperties(Duration.ofSeconds(30), Duration.ofSeconds(7), DataSize.ofKilobytes(3), 100,
                DataSize.ofMegabytes(1), DataSize.ofMegabytes(64), "NANOLET_SESSION");
        HttpServer before = HttpServer.create().httpRequestDecoder(spec -> spec.maxInitialLineLength(9_000).validateHeaders(false)
                .initialBufferSize(256).h2cMaxContentLength(1_000).allowDuplicateContentLengths(true).allowPartialChunks(false));

        var config = new ListenerSettings(http).apply(before).configuration();

        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.decoder().maxHeaderSize()).isEqualTo(3 * 1024);
        assertThat(config.decoder().maxInitialLineLength()).isEqualTo(9_000);
        assertThat(config.decoder().validateHeaders()).isFalse();
        assertThat(config.decoder().initialBufferSize()).isEqualTo(256);
        assertThat(config.decoder().h2cMaxContentLength()).isEqualTo(1_000);
        assertThat(config.decoder().allowDuplicateContentLengths()).isTrue();
        assertThat(config.decoder().allowPartialChunks()).isFalse();
    }

    @Test
    void aLimitBeyondWhatNettyCountsIsItsLargest() {
        var http = new HttpProperties(Duration.ofSeconds(30), Duration.ofSeconds(60), DataSize.ofGigabytes(3), 100,
                DataSize.ofMegabytes(1), DataSize.ofMegabytes(64), "NANOLET_SESSION");
        assertThat(new ListenerSettings(http).apply(HttpServer.create()).configuration().decoder().maxHeaderSize())
                .isEqualTo(Integer.MAX_VALUE);
    }
}
