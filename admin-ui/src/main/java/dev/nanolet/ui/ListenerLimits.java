package dev.nanolet.ui;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.autoconfigure.NettyServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.stereotype.Component;

/**
 * Refuses at start, by name, the dashboard listener's settings Netty cannot work with, the same ones Spring Boot hands it.
 * An idle timeout ({@code NANOLET_UI_IDLE_TIMEOUT}, {@code server.netty.idle-timeout}) under 1 ms: Reactor Netty hands it
 * to Netty in whole milliseconds, and Netty takes 0 or less as no timeout at all, so a silent connection was held forever;
 * an empty value binds to none, which Boot does not set on the listener: the same forever, so it is refused too. A header
 * limit ({@code NANOLET_UI_MAX_HEADER_BYTES}, {@code server.max-http-request-header-size}) under 1 byte, which stopped the
 * start with Netty's "maxHeaderSize must be strictly positive", naming no setting (an empty value keeps Boot's 8 KB).
 * Being a customizer of the listener's factory, it runs before the factory makes the listener and Netty checks them.
 */
@Component
class ListenerLimits implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    private final ServerProperties server;
    private final NettyServerProperties netty;

    ListenerLimits(ServerProperties server, NettyServerProperties netty) {
        this.server = server;
        this.netty = netty;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        Setting.of("server.netty.idle-timeout", "NANOLET_UI_IDLE_TIMEOUT").atLeast(Duration.ofMillis(1), netty.getIdleTimeout());
        Setting.of("server.max-http-request-header-size", "NANOLET_UI_MAX_HEADER_BYTES")
                .bytesAtLeast(1, server.getMaxHttpRequestHeaderSize().toBytes());
    }
}
