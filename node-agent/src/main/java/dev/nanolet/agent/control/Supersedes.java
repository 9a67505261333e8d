package dev.nanolet.agent.control;

import dev.nanolet.wire.ReplicaPhase;
import java.util.Arrays;

/**
 * When a replica's later status report may take the place of an earlier one that has not gone out
 * yet: only when platform-api would accept the later phase from whatever phase it may hold instead of
 * the earlier one — every phase from which the earlier was a legal move (or a repeat) must also move
 * to the later ({@link ReplicaPhase#canMoveTo}). So {@code Pulling, Starting, Running} folds into
 * {@code Running}, anything into {@code Terminating}, but a job's {@code Starting} is kept before its
 * {@code Succeeded} ({@code Pulling → Succeeded} would be refused). A {@code CrashLoopBackOff} is only
 * ever superseded by {@code Terminating}: platform-api's rollout watches for it, so a restart's
 * {@code Starting} does not hide it.
 */
final class Supersedes {

    private Supersedes() {
    }

    static boolean earlier(ReplicaPhase earlier, ReplicaPhase later) {
        if (earlier == ReplicaPhase.CrashLoopBackOff && later != ReplicaPhase.Terminating) {
            return false;
        }
        return Arrays.stream(ReplicaPhase.values()).filter(from -> from.canMoveTo(earlier)).allMatch(from -> from.canMoveTo(later));
    }
}
