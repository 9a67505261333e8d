package dev.nanolet.agent.http;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the {@link Forwarder} waits for another node, and the connections it keeps to them
 * ({@code nanolet.forwarding.*}). Each must be above 0 (the pending-acquire timeout may be 0: no wait): another value is
 * refused at start, naming the setting, where a pool of no connection failed the start with Netty's name for it.
 *
 * @param connectTimeout a node that does not take the connection within this counts as refusing it
 *     (the route table is fetched again); Netty's 30 s held the client that long
 * @param responseTimeout a node that sends nothing for this long (Reactor Netty's time between reads, after
 *     the request went out; a node that trickles bytes is not cut off) answers 504; unset: the largest {@code timeoutMs} platform-api accepts
 *     ({@link DeploymentSpec.Limits#MAX_TIMEOUT_MS}) plus {@link #RESPONSE_SLACK}, so no run the other node
 *     may still finish is cut short, and a node that stalls holds the client's connection no longer
 * @param maxIdleTime a kept connection unused this long is closed: below the peer's idle timeout
 *     ({@code nanolet.http.idle-timeout}, 60 s), so a request is never sent on one the peer is closing
 * @param maxConnections connections to each other node at once (Reactor Netty keeps a pool per address)
 * @param pendingAcquireTimeout a request that waits this long for one of those connections answers 503
 */
@ConfigurationProperties("nanolet.forwarding")
record ForwardingProperties(
        @DefaultValue("3s") Duration connectTimeout,
        Duration responseTimeout,
        @DefaultValue("30s") Duration maxIdleTime,
        @DefaultValue("500") int maxConnections,
        @DefaultValue("5s") Duration pendingAcquireTimeout) {

    /** The peer's body timeout, overrun grace and time to write the answer's header, generously. */
    static final Duration RESPONSE_SLACK = Duration.ofSeconds(60);

    ForwardingProperties {
        if (responseTimeout == null) {
            responseTimeout = Duration.ofMillis(DeploymentSpec.Limits.MAX_TIMEOUT_MS).plus(RESPONSE_SLACK);
        }
        Duration least = Duration.ofMillis(1);
        Setting.of("nanolet.forwarding.connect-timeout").atLeast(least, connectTimeout);
        Setting.of("nanolet.forwarding.response-timeout").atLeast(least, responseTimeout);
        Setting.of("nanolet.forwarding.max-idle-time").atLeast(least, maxIdleTime);
        Setting.of("nanolet.forwarding.max-connections").atLeast(1, maxConnections);
        Setting.of("nanolet.forwarding.pending-acquire-timeout").atLeast(Duration.ZERO, pendingAcquireTimeout);
    }
}
