package dev.nanolet.wire;

import java.time.Instant;
import java.util.UUID;

/** One copy of a revision, bound to at most one node: the pod of Nanolet. */
public record Replica(
        UUID id,
        String namespace,
        String deployment,
        int revision,
        String node,
        ReplicaPhase phase,
        String reason,
        String message,
        int restarts,
        Instant createdAt,
        Instant updatedAt) {}
