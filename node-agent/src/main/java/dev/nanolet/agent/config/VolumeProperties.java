package dev.nanolet.agent.config;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The disk a replica's volumes may use ({@code NANOLET_VOLUMES_MAX_BYTES}, all its volumes together) and
 * how often that is measured ({@code NANOLET_VOLUMES_CHECK_INTERVAL}); see {@code replica.VolumeLimits}.
 * 1 GB by default: enough for a SQLite database or a cache of a small service, and a node with a few
 * hundred such replicas still needs a data disk of its own for them (docs/security.md, "Volumes").
 * A limit of no byte (no replica's volumes fit in it) and a check interval below 1 ms are refused at start, naming the
 * setting: the checker is scheduled in whole milliseconds, and one of 0 failed the node's start on a bare
 * {@code IllegalArgumentException}.
 */
@ConfigurationProperties("nanolet.volumes")
public record VolumeProperties(@DefaultValue("1GB") DataSize maxBytes, @DefaultValue("10s") Duration checkInterval) {

    public VolumeProperties {
        Setting.of("nanolet.volumes.max-bytes", "NANOLET_VOLUMES_MAX_BYTES").bytesAtLeast(1, maxBytes.toBytes());
        Setting.of("nanolet.volumes.check-interval", "NANOLET_VOLUMES_CHECK_INTERVAL").atLeast(Duration.ofMillis(1), checkInterval);
    }
}
