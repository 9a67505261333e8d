package dev.nanolet.wire;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a replica. {@link #canMoveTo} guards transitions; platform-api refuses any
 * other with 409 Conflict.
 */
public enum ReplicaPhase {
    Pending, Scheduled, Pulling, Starting, Running, Succeeded, Failed, CrashLoopBackOff, Terminating;

    /** Whether a replica in this phase may be reported in {@code next}. Staying put is always allowed. */
    public boolean canMoveTo(ReplicaPhase next) {
        return next == this || successors().contains(next);
    }

    /** Whether the replica has stopped for good (it is not replaced unless the deployment says so). */
    public boolean isTerminal() {
        return this == Succeeded || this == Failed;
    }

    private Set<ReplicaPhase> successors() {
        return switch (this) {
            case Pending -> EnumSet.of(Scheduled, Terminating);
            case Scheduled -> EnumSet.of(Pulling, Starting, Running, Failed, Pending, Terminating);
            case Pulling -> EnumSet.of(Starting, Running, Failed, CrashLoopBackOff, Terminating);
            case Starting -> EnumSet.of(Running, Succeeded, Failed, CrashLoopBackOff, Terminating);
            case Running -> EnumSet.of(Starting, Succeeded, Failed, CrashLoopBackOff, Terminating);
            case CrashLoopBackOff -> EnumSet.of(Starting, Running, Succeeded, Failed, Terminating);
            case Succeeded, Failed -> EnumSet.of(Terminating);
            case Terminating -> EnumSet.noneOf(ReplicaPhase.class);
        };
    }
}
