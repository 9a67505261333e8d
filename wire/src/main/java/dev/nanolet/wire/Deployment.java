package dev.nanolet.wire;

import java.time.Instant;
import java.util.Map;

/**
 * A deployment as platform-api reports it: identity, current spec and computed status.
 *
 * @param generation bumps each time the spec changes
 * @param revision number of the revision whose spec is current
 * @param labels set by a manifest's {@code metadata.labels}; what {@code apply?prune=true&selector=} selects by
 * @param resourceVersion opaque; changes on every write of the deployment (spec, replicas, labels) and is never
 *     reused; its ETag, which a write's {@code If-Match} (or a manifest's {@code metadata.resourceVersion}) names
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
        Map<String, String> labels,
        String resourceVersion) {
    public Deployment {
        labels = Collections2.map(labels);
    }

    /** A deployment without a resource version. */
    public Deployment(String namespace, String name, long generation, int revision, DeploymentSpec spec,
            DeploymentStatus status, Instant createdAt, Instant updatedAt, Map<String, String> labels) {
        this(namespace, name, generation, revision, spec, status, createdAt, updatedAt, labels, null);
    }

    /** A deployment without labels. */
    public Deployment(String namespace, String name, long generation, int revision, DeploymentSpec spec,
            DeploymentStatus status, Instant createdAt, Instant updatedAt) {
        this(namespace, name, generation, revision, spec, status, createdAt, updatedAt, null, null);
    }
}
