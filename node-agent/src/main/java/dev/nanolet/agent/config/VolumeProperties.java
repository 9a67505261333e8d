package dev.nanolet.agent.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The disk a replica's volumes may use ({@code NANOLET_VOLUMES_MAX_BYTES}, all its volumes together) and
 * how often that is measured ({@code NANOLET_VOLUMES_CHECK_INTERVAL}); see {@code replica.VolumeLimits}.
 * 1 GB by default: enough for a SQLite database or a cache of a small service, and a node with a few
 * hundred such replicas still needs a data disk of its own for them (docs/security.md, "Volumes").
 * A check interval below 1 ms is refused at start, naming the setting: the checker is scheduled in whole
 * milliseconds, and one of 0 failed the node's start on a bare {@code IllegalArgumentException}.
 */
@ConfigurationProperties("nanolet.volumes")
public record VolumeProperties(@DefaultValue("1GB") DataSize maxBytes, @DefaultValue("10s") Duration checkInterval) {

    public VolumeProperties {
        if (checkInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "nanolet.volumes.check-interval (NANOLET_VOLUMES_CHECK_INTERVAL) must be at least 1ms, not " + checkInterval);
        }
    }
}
