package dev.nanolet.agent.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;

/**
 * Judges each request's {@code Host} fields ({@link HostVerdict}) on the data plane's connections, before Reactor Netty reads
 * them. Reactor Netty takes the host and port of a request from its first {@code Host} before any route runs, the port with
 * {@code Integer.parseInt}: {@code Host: a:x} or {@code Host: [::1} failed there, and the request got Reactor Netty's bare 400
 * and its connection was closed. Spring then writes the host into the request's URI, %-escaping what no host holds: a
 * {@code Host} such as {@code a b}, {@code a%zz} or {@code a:99999999} ran the module. A request without {@code Host}, or
 * with two, was served as any other.
 *
 * <p>A request whose fields are refused loses its {@code Host} fields, so Reactor Netty reads none, and is marked with
 * {@link #REFUSED} (the verdict's name), which {@link RequestTargets} answers with 400 problem+json before Spring's handler
 * sees the request, as Reactor Netty answers any other (pipelined requests behind it are answered in turn). A
 * {@link #REFUSED} field the client sent is removed from every request, so the mark is only ever the node's. Every request
 * that reaches Spring, and so the forwarder, which passes the client's {@code Host} on, has one {@code Host} that is a host
 * (or, on HTTP/1.0, none).
 */
@Component
class RequestHosts implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    static final String REFUSED = "X-Nanolet-Host-Refused";
    private static final Check CHECK = new Check();

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(server -> server.doOnChannelInit((observer, channel, address) -> watch(channel)));
    }

    /** The verdict {@link Check} left on a request with {@code headers}. */
    static HostVerdict verdict(HttpHeaders headers) {
        String refused = headers.get(REFUSED);
        return refused == null ? HostVerdict.PASSED : HostVerdict.valueOf(refused);
    }

    /** Checks the requests of {@code channel}, a data-plane connection, if it speaks HTTP/1.1 through Reactor Netty's handler. */
    private static void watch(Channel channel) {
        if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
            channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, "nanolet.requestHosts", CHECK);
        }
    }

    /** Between Netty's decoder and Reactor Netty's handler: marks each request as its {@code Host} fields deserve. */
    @ChannelHandler.Sharable
    private static final class Check extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                HttpHeaders headers = request.headers();
                headers.remove(REFUSED);
                HostVerdict verdict = HostVerdict.of(request.protocolVersion(), headers);
                if (verdict != HostVerdict.PASSED) {
                    headers.remove(HttpHeaderNames.HOST).set(REFUSED, verdict.name());
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
