package dev.nanolet.wire;

import java.util.UUID;

/**
 * What a node must run for one replica: carried by the assignment watch stream.
 *
 * @param terminating the replica is to be stopped; the node confirms with phase Terminating
 *     reported, after which the platform forgets it
 * @param secrets the secret values this replica needs (never null; {@link ResolvedSecrets#NONE} if none)
 */
public record Assignment(
        UUID replicaId,
        String namespace,
        String deployment,
        int revision,
        String moduleDigest,
        long moduleSize,
        DeploymentSpec spec,
        boolean terminating,
        ResolvedSecrets secrets) {
    public Assignment {
        secrets = secrets == null ? ResolvedSecrets.NONE : secrets;
    }

    /** An assignment that needs no secret values. */
    public Assignment(UUID replicaId, String namespace, String deployment, int revision, String moduleDigest,
            long moduleSize, DeploymentSpec spec, boolean terminating) {
        this(replicaId, namespace, deployment, revision, moduleDigest, moduleSize, spec, terminating, null);
    }
}
