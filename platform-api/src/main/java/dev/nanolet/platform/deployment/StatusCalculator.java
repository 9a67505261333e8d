package dev.nanolet.platform.deployment;

import dev.nanolet.platform.replica.ReplicaPhases;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentStatus.Condition;
import dev.nanolet.wire.DeploymentStatus;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes a deployment's status from its replicas, never from a stored flag. Terminating
 * replicas count for nothing; a replica is ready when Running (jobs: also Succeeded); available
 * means ready and of the current revision. A rollout not complete {@code progressDeadlineSeconds}
 * after the last spec change is {@code Progressing=False/ProgressDeadlineExceeded} (Kubernetes
 * counts from the last progress; nothing here stores progress, so the deadline counts from the change).
 */
final class StatusCalculator {
    private StatusCalculator() {}

    /** What the calculation needs of one replica. {@code node} is null while unbound. */
    record Observed(int revision, ReplicaPhase phase, String node) {}

    /**
     * What the calculation needs of the deployment.
     *
     * @param changedAt when the spec last changed (the rollout's start)
     */
    record Desired(DeploymentSpec spec, long generation, int revision, Map<Integer, Long> revisionGenerations,
            Instant changedAt) {
        Desired {
            revisionGenerations = Map.copyOf(revisionGenerations);
        }
    }

    static DeploymentStatus compute(Desired desired, List<Observed> replicas, Instant now) {
        boolean job = !desired.spec().servesHttp();
        int want = desired.spec().replicas();
        List<Observed> live = replicas.stream().filter(r -> r.phase() != ReplicaPhase.Terminating).toList();
        List<Observed> current = live.stream().filter(r -> r.revision() == desired.revision()).toList();
        List<Observed> old = live.stream().filter(r -> r.revision() != desired.revision()).toList();
        int scheduled = (int) live.stream().filter(r -> r.node() != null).count();
        int ready = (int) live.stream().filter(r -> isReady(r, job)).count();
        int available = (int) current.stream().filter(r -> isReady(r, job)).count();
        boolean complete = old.isEmpty() && current.size() == want && available == want;

        Condition availableCondition = available >= want
                ? new Condition("Available", "True", "MinimumReplicasAvailable", available + " of " + want + " replicas available")
                : new Condition("Available", "False", "ReplicasUnavailable", available + " of " + want + " replicas available");
        Instant deadline = desired.changedAt().plusSeconds(desired.spec().progressDeadlineSeconds());
        Condition progressing = failed(current)
                .map(r -> new Condition("Progressing", "False", "ReplicaFailure",
                        "a replica of revision " + desired.revision() + " is " + r.phase()))
                .orElseGet(() -> complete
                        ? new Condition("Progressing", "True", "RolloutComplete", "revision " + desired.revision() + " is available")
                        : now.isAfter(deadline)
                        ? new Condition("Progressing", "False", "ProgressDeadlineExceeded", "revision " + desired.revision()
                                + " has not become available within " + desired.spec().progressDeadlineSeconds() + " s: "
                                + available + " of " + want + " available")
                        : new Condition("Progressing", "True", "NewRevisionRollingOut", "revision " + desired.revision()
                                + ": " + available + " of " + want + " available"
                                + (old.isEmpty() ? "" : ", " + old.size() + " old replicas remain")));
        return new DeploymentStatus(want, scheduled, ready, available,
                observedGeneration(desired, current, old, want), List.of(availableCondition, progressing));
    }

    private static boolean isReady(Observed r, boolean job) {
        return ReplicaPhases.available(r.phase(), job);
    }

    private static Optional<Observed> failed(List<Observed> current) {
        return current.stream()
                .filter(r -> r.phase() == ReplicaPhase.CrashLoopBackOff || r.phase() == ReplicaPhase.Failed)
                .findFirst();
    }

    /**
     * The newest generation the replica set reflects: the deployment's own once the replicas
     * match it; else the generation of the oldest revision still running; 0 before any replica exists.
     */
    private static long observedGeneration(Desired desired, List<Observed> current, List<Observed> old, int want) {
        if (old.isEmpty() && current.size() == want) {
            return desired.generation();
        }
        Optional<Observed> oldest = old.stream().min(Comparator.comparingInt(Observed::revision));
        if (oldest.isPresent()) {
            return desired.revisionGenerations().getOrDefault(oldest.get().revision(), 0L);
        }
        return current.isEmpty() ? 0 : desired.revisionGenerations().getOrDefault(desired.revision(), 0L);
    }
}
