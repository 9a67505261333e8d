package dev.nanolet.agent.http;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The connector under the {@link Forwarder}'s client, which passes a request and its answer on as
 * they are. Spring's Reactor connector asks for gzip and inflates what comes back: a guest's 510 KB
 * of {@code Content-Encoding: gzip} reached a client of another node as 500 MB, past the response
 * cap and through the forwarding node's memory, and the guest saw an {@code Accept-Encoding} the
 * client never sent. Reactor Netty also adds {@code User-Agent} and {@code Accept} when a request has
 * none; they are removed before the client's own fields are set, so only those reach the guest. The
 * response header limit is what a node takes from a guest, so a response that works on the node that
 * runs it works forwarded too (Netty's default, 8 KiB, gave 502). Lifecycle-aware like
 * {@code OutboundHttp}'s, for the same reason: the client is made again, on the resource factory's
 * event loops, at every start.
 *
 * <p>Connections come from a pool of its own ({@value #POOL}, {@link ForwardingProperties}): Reactor
 * Netty's default pool kept idle connections past the peer's idle timeout (a request sent on one the
 * peer was closing answered 502) and let a request wait 45 s for one; Netty waited 30 s for a connection
 * and for an answer for ever. A connection whose answer had bytes past its framing is closed, never kept
 * ({@link AnswerFraming}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ForwardingProperties.class)
class ForwardingHttp {

    static final String POOL = "nanolet-forwarding";

    /** The connector's bean name: it is a {@code ClientHttpConnector} like the primary one, so it is asked for by name. */
    static final String CONNECTOR = "forwardingConnector";

    /** A guest's header section at most, plus room for the fields the serving node adds. */
    static final int MAX_RESPONSE_HEADER_BYTES = CgiResponse.MAX_HEADER_BYTES + 1024;

    @Bean(destroyMethod = "dispose")
    ConnectionProvider forwardingPool(ForwardingProperties props) {
        return ConnectionProvider.builder(POOL)
                .maxConnections(props.maxConnections())
                .pendingAcquireTimeout(props.pendingAcquireTimeout())
                .maxIdleTime(props.maxIdleTime())
                .evictInBackground(props.maxIdleTime())
                .build();
    }

    @Bean(CONNECTOR)
    ReactorClientHttpConnector forwardingConnector(ReactorResourceFactory resources, ConnectionProvider forwardingPool,
            ForwardingProperties props) {
        return new ReactorClientHttpConnector(resources, client -> HttpClient.create(forwardingPool)
                .runOn(client.configuration().loopResources())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) props.connectTimeout().toMillis())
                .responseTimeout(props.responseTimeout())
                .compress(false)
                .httpResponseDecoder(d -> d.maxHeaderSize(MAX_RESPONSE_HEADER_BYTES))
                .doOnChannelInit((observer, channel, address) -> AnswerFraming.watch(channel))
                .doOnRequest((req, connection) -> req.requestHeaders().remove(HttpHeaderNames.USER_AGENT).remove(HttpHeaderNames.ACCEPT)));
    }
}
