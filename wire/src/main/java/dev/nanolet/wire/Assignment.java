package dev.nanolet.wire;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * What the module's environment holds: the spec's plain {@code env} with the secret values of {@code secretEnv}
     * ({@link ResolvedSecrets#env()}) merged over it. Never log it.
     */
    public Map<String, String> environment() {
        if (secrets.env().isEmpty()) {
            return spec.env();
        }
        Map<String, String> merged = new TreeMap<>(spec.env());
        merged.putAll(secrets.env());
        return Collections.unmodifiableMap(merged);
    }

    /** The same assignment without secret values: what may be written to disk. */
    public Assignment withoutSecrets() {
        return secrets.env().isEmpty() && secrets.bindings().isEmpty() ? this
                : new Assignment(replicaId, namespace, deployment, revision, moduleDigest, moduleSize, spec, terminating, null);
    }

    /** Whether the module needs secret values (secret env or bindings), which only the platform sends. */
    public boolean needsSecrets() {
        return !spec.secretEnv().isEmpty() || !spec.bindings().isEmpty();
    }

    /** An assignment that needs no secret values. */
    public Assignment(UUID replicaId, String namespace, String deployment, int revision, String moduleDigest,
            long moduleSize, DeploymentSpec spec, boolean terminating) {
        this(replicaId, namespace, deployment, revision, moduleDigest, moduleSize, spec, terminating, null);
    }
}
