package dev.nanolet.wire;

import java.util.UUID;

/**
 * What a node must run for one replica: carried by the assignment watch stream.
 *
 * @param terminating the replica is to be stopped; the node confirms with phase Terminating
 *     reported, after which the platform forgets it
 */
public record Assignment(
        UUID replicaId,
        String namespace,
        String deployment,
        int revision,
        String moduleDigest,
        long moduleSize,
        DeploymentSpec spec,
        boolean terminating) {}
