package dev.nanolet.agent.metrics;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may read the node's metrics besides loopback.
 *
 * @param allow networks in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}) or single addresses,
 *     from {@code NANOLET_METRICS_ALLOW} (comma-separated); none by default
 */
@ConfigurationProperties("nanolet.metrics")
record MetricsProperties(List<String> allow) {

    MetricsProperties {
        allow = allow == null ? List.of() : allow.stream().map(String::strip).filter(a -> !a.isEmpty()).toList();
    }
}
