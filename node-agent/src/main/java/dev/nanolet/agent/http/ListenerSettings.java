package dev.nanolet.agent.http;

import java.time.Duration;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpRequestDecoderSpec;
import reactor.netty.http.server.HttpServer;

/**
 * Gives the data-plane listener its header limit and idle timeout from {@link HttpProperties}, the one place that owns
 * them ({@code NANOLET_MAX_HEADER_BYTES}, {@code NANOLET_IDLE_TIMEOUT}); Spring Boot's {@code server.*} settings of the
 * two are not read. The node's other listener, the kubelet API in Kubernetes mode, takes the same two through
 * {@link #apply}. Being a customizer of the listener's factory, it is made before the listener, so the settings are
 * bound, and refused by name, before Netty checks them (a header limit of 0 stopped the node with Netty's "maxHeaderSize
 * must be strictly positive", naming no setting). A limit beyond what Netty counts (2 GiB) is taken as its largest.
 *
 * <p>It runs after Boot's own customizer (order 0), whose decoder settings it would otherwise lose: Reactor Netty makes
 * each {@code httpRequestDecoder} from a new spec, so this one carries over the rest of the decoder as Boot left it.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
public class ListenerSettings implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    private final int maxHeaderBytes;
    private final Duration idleTimeout;

    ListenerSettings(HttpProperties http) {
        this.maxHeaderBytes = (int) Math.min(Integer.MAX_VALUE, http.maxHeaderBytes().toBytes());
        this.idleTimeout = http.idleTimeout();
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(this::apply);
    }

    /** {@code server} with the node's idle timeout and header limit, the rest of its request decoder as it was. */
    public HttpServer apply(HttpServer server) {
        HttpRequestDecoderSpec was = server.configuration().decoder();
        return server.idleTimeout(idleTimeout).httpRequestDecoder(spec -> spec
                .maxInitialLineLength(was.maxInitialLineLength())
                .validateHeaders(was.validateHeaders())
                .initialBufferSize(was.initialBufferSize())
                .h2cMaxContentLength(was.h2cMaxContentLength())
                .allowDuplicateContentLengths(was.allowDuplicateContentLengths())
                .allowPartialChunks(was.allowPartialChunks())
                .maxHeaderSize(maxHeaderBytes));
    }
}
