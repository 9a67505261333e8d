package dev.nanolet.platform.controller;

import dev.nanolet.platform.replica.ReplicaPhases;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The deployment controller's decision, as a pure function of the desired deployment and its
 * replicas: which replicas to create and which to terminate.
 *
 * <ul>
 *   <li>keeps the live (not terminating) replicas of the current revision at {@code replicas};
 *   <li>rolls over from older revisions with at most {@code surge} live replicas above
 *       {@code replicas} and never fewer than {@code replicas} available (Running; for jobs also
 *       Succeeded) while old ones go;
 *   <li>jobs: a Succeeded or Failed replica still counts (not replaced); an HTTP replica that
 *       Failed is replaced;
 *   <li>a deleted deployment terminates everything and is forgotten once no replica is left.
 * </ul>
 */
final class DeploymentDiff {
    private DeploymentDiff() {}

    /** What the deployment asks for. */
    record Desired(int revision, int replicas, boolean job, boolean deleted) {}

    /** One replica as it is. */
    record Observed(UUID id, int revision, ReplicaPhase phase, boolean terminating, boolean bound, Instant createdAt) {}

    /** Something to do. */
    sealed interface Action {}

    /** Create {@code count} Pending replicas of the current revision. */
    record Create(int count) implements Action {}

    /** Stop one replica. */
    record Terminate(UUID replica, String reason) implements Action {}

    /** Remove the deleted deployment: nothing of it is left. */
    record Forget() implements Action {}

    /** Live replicas allowed above {@code replicas} during a rollout: 25%, at least one. */
    static int surge(int replicas) {
        return Math.max(1, (replicas + 3) / 4);
    }

    static List<Action> diff(Desired desired, List<Observed> replicas) {
        if (desired.deleted()) {
            return replicas.isEmpty() ? List.of(new Forget())
                    : replicas.stream().filter(r -> !r.terminating())
                            .<Action>map(r -> new Terminate(r.id(), "DeploymentDeleted")).toList();
        }
        List<Action> actions = new ArrayList<>();
        List<Observed> live = new ArrayList<>();
        for (Observed r : replicas) {
            if (r.terminating()) {
                continue;
            }
            if (!desired.job() && r.phase() == ReplicaPhase.Failed) {
                actions.add(new Terminate(r.id(), "Failed"));
            } else {
                live.add(r);
            }
        }
        Predicate<Observed> available = r -> ReplicaPhases.available(r.phase(), desired.job());
        Comparator<Observed> leastValuableFirst = Comparator.<Observed, Boolean>comparing(available::test)
                .thenComparing(Observed::bound)
                .thenComparing(Observed::createdAt, Comparator.reverseOrder());
        List<Observed> current = live.stream().filter(r -> r.revision() == desired.revision()).sorted(leastValuableFirst).toList();
        List<Observed> old = live.stream().filter(r -> r.revision() != desired.revision()).sorted(leastValuableFirst).toList();
        int n = desired.replicas();

        int create = Math.min(n - current.size(), n + surge(n) - live.size());
        if (old.isEmpty()) {
            create = n - current.size();
        }
        if (create > 0) {
            actions.add(new Create(create));
        }
        int spareAvailable = (int) live.stream().filter(available).count() - n;
        for (Observed r : current.subList(0, Math.max(0, current.size() - n))) {
            actions.add(new Terminate(r.id(), "ScaledDown"));
            spareAvailable -= available.test(r) ? 1 : 0;
        }
        for (Observed r : old) {
            if (!available.test(r)) {
                actions.add(new Terminate(r.id(), "RolledOver"));
            } else if (spareAvailable > 0) {
                actions.add(new Terminate(r.id(), "RolledOver"));
                spareAvailable--;
            }
        }
        return actions;
    }
}
