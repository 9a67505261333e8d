package dev.nanolet.wire;

import java.util.List;

/**
 * Status computed from a deployment's replicas, never stored.
 *
 * @param replicas desired replicas
 * @param scheduled replicas bound to a node
 * @param ready replicas Running (or, for jobs, Succeeded)
 * @param available ready replicas of the current revision
 * @param observedGeneration generation the replicas reflect
 * @param conditions {@code Available} and {@code Progressing}
 */
public record DeploymentStatus(
        int replicas,
        int scheduled,
        int ready,
        int available,
        long observedGeneration,
        List<Condition> conditions) {
    public DeploymentStatus {
        conditions = Collections2.list(conditions);
    }

    /** One condition: {@code status} is {@code "True"}, {@code "False"} or {@code "Unknown"}. */
    public record Condition(String type, String status, String reason, String message) {}
}
