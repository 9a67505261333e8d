package dev.nanolet.wire;

import java.time.Instant;

/**
 * A deployment as platform-api reports it: identity, current spec and computed status.
 *
 * @param generation bumps each time the spec changes
 * @param revision number of the revision whose spec is current
 */
public record Deployment(
        String namespace,
        String name,
        long generation,
        int revision,
        DeploymentSpec spec,
        DeploymentStatus status,
        Instant createdAt,
        Instant updatedAt) {}
