package dev.nanolet.wire;

import java.util.List;

/** The full assignment set of a node at {@code resourceVersion}: the first event of a watch. */
public record AssignmentSnapshot(long resourceVersion, List<Assignment> replicas) {
    public AssignmentSnapshot {
        replicas = Collections2.list(replicas);
    }
}
