package dev.nanolet.platform.replica;

import dev.nanolet.wire.ReplicaPhase;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the platform counts each replica phase as, beside the lifecycle's own transitions
 * ({@link ReplicaPhase#canMoveTo}): the one place for these rules, which the controllers test in
 * Java and {@link ReplicaStore} applies in SQL.
 */
public final class ReplicaPhases {
    /** Ended for good ({@link ReplicaPhase#isTerminal}): the node no longer runs it, and it takes none of the node's capacity. */
    static final Set<ReplicaPhase> FINISHED = Arrays.stream(ReplicaPhase.values()).filter(ReplicaPhase::isTerminal)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(ReplicaPhase.class)));
    /** The node has started the module, so it has logs. */
    static final Set<ReplicaPhase> STARTED = EnumSet.of(ReplicaPhase.Starting, ReplicaPhase.Running,
            ReplicaPhase.Succeeded, ReplicaPhase.Failed, ReplicaPhase.CrashLoopBackOff);

    private ReplicaPhases() {}

    /** Whether a replica in {@code phase} counts as available (ready): Running, or for a job also Succeeded. */
    public static boolean available(ReplicaPhase phase, boolean job) {
        return phase == ReplicaPhase.Running || (job && phase == ReplicaPhase.Succeeded);
    }

    /** {@code column IN ('A', 'B')} for a set of phases. */
    static String sqlIn(String column, Set<ReplicaPhase> phases) {
        return column + " IN " + phases.stream().map(p -> "'" + p.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
