package dev.nanolet.agent.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the node talks to platform-api ({@code nanolet.platform.*}).
 *
 * @param url base URL of platform-api ({@code NANOLET_PLATFORM_URL})
 * @param leaseRenewInterval how often the lease is renewed ({@code NANOLET_LEASE_RENEW_INTERVAL})
 * @param routesRefreshInterval how often the route table is fetched besides on assignment changes
 * @param retryMin first delay before reconnecting the watch or resending a report
 * @param retryMax longest delay between attempts
 * @param watchIdleTimeout a watch silent this long (not even a heartbeat comment) is reconnected
 */
@ConfigurationProperties("nanolet.platform")
public record PlatformProperties(
        @DefaultValue("http://localhost:8090") String url,
        @DefaultValue("5s") Duration leaseRenewInterval,
        @DefaultValue("10s") Duration routesRefreshInterval,
        @DefaultValue("500ms") Duration retryMin,
        @DefaultValue("30s") Duration retryMax,
        @DefaultValue("45s") Duration watchIdleTimeout) {}
