package dev.nanolet.ui;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyServerProperties;
import org.springframework.stereotype.Component;

/**
 * Refuses at start, by name, a dashboard idle timeout ({@code NANOLET_UI_IDLE_TIMEOUT}, Spring Boot's
 * {@code server.netty.idle-timeout}) under 1 ms: Reactor Netty hands it to Netty in whole milliseconds, and Netty takes 0 or
 * less as no timeout at all, so a silent connection was held forever. An empty value binds to none, which Boot does not
 * set on the listener: the same forever, so it is refused as 0.
 */
@Component
class IdleTimeoutFloor {

    IdleTimeoutFloor(NettyServerProperties netty) {
        Duration idleTimeout = netty.getIdleTimeout() == null ? Duration.ZERO : netty.getIdleTimeout();
        Setting.of("server.netty.idle-timeout", "NANOLET_UI_IDLE_TIMEOUT").atLeast(Duration.ofMillis(1), idleTimeout);
    }
}
