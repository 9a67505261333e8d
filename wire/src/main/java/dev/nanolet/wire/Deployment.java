package dev.nanolet.wire;

import java.time.Instant;
import java.util.Map;

/**
 * A deployment as platform-api reports it: identity, current spec and computed status.
 *
 * @param generation bumps each time the spec changes
 * @param revision number of the revision whose spec is current
 * @param labels set by a manifest's {@code metadata.labels}; what {@code apply?prune=true&selector=} selects by
 */
public record Deployment(
        String namespace,
        String name,
        long generation,
        int revision,
        DeploymentSpec spec,
        DeploymentStatus status,
        Instant createdAt,
        Instant updatedAt,
        Map<String, String> labels) {
    public Deployment {
        labels = Collections2.map(labels);
    }

    /** A deployment without labels. */
    public Deployment(String namespace, String name, long generation, int revision, DeploymentSpec spec,
            DeploymentStatus status, Instant createdAt, Instant updatedAt) {
        this(namespace, name, generation, revision, spec, status, createdAt, updatedAt, null);
    }
}
