package dev.nanolet.agent.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * The connector under the {@link Forwarder}'s client, which passes a request and its answer on as
 * they are. Spring's Reactor connector asks for gzip and inflates what comes back: a guest's 510 KB
 * of {@code Content-Encoding: gzip} reached a client of another node as 500 MB, past the response
 * cap and through the forwarding node's memory, and the guest saw an {@code Accept-Encoding} the
 * client never sent. Reactor Netty also adds {@code User-Agent} and {@code Accept} when a request has
 * none; they are removed before the client's own fields are set, so only those reach the guest. The
 * response header limit is what a node takes from a guest, so a response that works on the node that
 * runs it works forwarded too (Netty's default, 8 KiB, gave 502). Lifecycle-aware like
 * {@code OutboundHttp}'s, for the same reason.
 */
@Configuration(proxyBeanMethods = false)
class ForwardingHttp {

    /** The connector's bean name: it is a {@code ClientHttpConnector} like the primary one, so it is asked for by name. */
    static final String CONNECTOR = "forwardingConnector";

    /** A guest's header section at most, plus room for the fields the serving node adds. */
    static final int MAX_RESPONSE_HEADER_BYTES = CgiResponse.MAX_HEADER_BYTES + 1024;

    @Bean(CONNECTOR)
    ReactorClientHttpConnector forwardingConnector(ReactorResourceFactory resources) {
        return new ReactorClientHttpConnector(resources, client -> client.compress(false)
                .httpResponseDecoder(d -> d.maxHeaderSize(MAX_RESPONSE_HEADER_BYTES))
                .doOnRequest((req, connection) -> req.requestHeaders().remove(HttpHeaderNames.USER_AGENT).remove(HttpHeaderNames.ACCEPT)));
    }
}
