package dev.nanolet.agent.config;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the node talks to platform-api ({@code nanolet.platform.*}). Each interval must be at least 1 ms, the miss interval
 * 0 or more and {@code retryMax} at least {@code retryMin}: another value is refused at start, naming the setting, where one
 * of 0 or less called platform-api back to back (or, for the lease duration, fenced the node at once).
 *
 * @param url base URL of platform-api ({@code NANOLET_PLATFORM_URL})
 * @param leaseRenewInterval how often the lease is renewed ({@code NANOLET_LEASE_RENEW_INTERVAL})
 * @param routesRefreshInterval how often the route table is fetched besides on assignment changes
 * @param routesMissInterval least time between two fetches started by requests that found no route
 * @param retryMin first delay before reconnecting the watch or resending a report
 * @param retryMax longest delay between attempts
 * @param watchIdleTimeout a watch silent this long (not even a heartbeat comment) is reconnected
 * @param leaseDuration the platform's lease duration ({@code NANOLET_LEASE_DURATION}, the same
 *     variable as platform-api's): a node whose renewals have all failed for this long fences itself
 *     (stops its jobs) until it has renewed and listed its assignments again
 */
@ConfigurationProperties("nanolet.platform")
public record PlatformProperties(
        @DefaultValue("http://localhost:8090") String url,
        @DefaultValue("5s") Duration leaseRenewInterval,
        @DefaultValue("2s") Duration routesRefreshInterval,
        @DefaultValue("250ms") Duration routesMissInterval,
        @DefaultValue("500ms") Duration retryMin,
        @DefaultValue("30s") Duration retryMax,
        @DefaultValue("45s") Duration watchIdleTimeout,
        @DefaultValue("15s") Duration leaseDuration) {

    public PlatformProperties {
        Duration least = Duration.ofMillis(1);
        Setting.of("nanolet.platform.lease-renew-interval", "NANOLET_LEASE_RENEW_INTERVAL").atLeast(least, leaseRenewInterval);
        Setting.of("nanolet.platform.routes-refresh-interval").atLeast(least, routesRefreshInterval);
        Setting.of("nanolet.platform.routes-miss-interval").atLeast(Duration.ZERO, routesMissInterval);
        var first = Setting.of("nanolet.platform.retry-min");
        first.atLeast(least, retryMin);
        Setting.of("nanolet.platform.retry-max").atLeast(first, retryMin, retryMax);
        Setting.of("nanolet.platform.watch-idle-timeout").atLeast(least, watchIdleTimeout);
        Setting.of("nanolet.platform.lease-duration", "NANOLET_LEASE_DURATION").atLeast(least, leaseDuration);
    }
}
