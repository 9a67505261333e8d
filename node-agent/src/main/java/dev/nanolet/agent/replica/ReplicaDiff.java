package dev.nanolet.agent.replica;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.ReplicaPhase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The pure diff of desired assignments against the replicas a node actually has. */
final class ReplicaDiff {

    /** What the diff needs to know of a local replica. */
    record Actual(UUID id, int revision, String moduleDigest, ReplicaPhase phase) {}

    private ReplicaDiff() {}

    /**
     * The desired set of a fenced node (one that has not renewed its lease for a lease duration):
     * every job that has not finished here is left out, so a running one is stopped ({@code Forget})
     * and none starts; finished jobs and http replicas stay. The platform replaces the node's jobs
     * only after the lease plus a margin, so the old run and its replacement never overlap.
     */
    static List<Assignment> fenced(Collection<Assignment> desired, Map<UUID, Actual> actual) {
        return desired.stream().filter(a -> a.spec().servesHttp() || finished(actual.get(a.replicaId()))).toList();
    }

    private static boolean finished(Actual local) {
        return local != null && local.phase().isTerminal();
    }

    /**
     * @param resync the desired set is a fresh snapshot: re-report replicas that stay as they are
     */
    static List<ReplicaAction> diff(Collection<Assignment> desired, Map<UUID, Actual> actual, boolean resync) {
        List<ReplicaAction> actions = new ArrayList<>();
        Set<UUID> wanted = new HashSet<>();
        for (Assignment a : desired) {
            wanted.add(a.replicaId());
            Actual local = actual.get(a.replicaId());
            if (a.terminating()) {
                if (local == null || local.phase() != ReplicaPhase.Terminating) {
                    actions.add(new ReplicaAction.Terminate(a));
                } else if (resync) {
                    actions.add(new ReplicaAction.Report(a.replicaId()));
                }
            } else if (local == null) {
                actions.add(new ReplicaAction.Start(a));
            } else if (local.revision() != a.revision()
                    || !local.moduleDigest().equals(a.moduleDigest())
                    || local.phase() == ReplicaPhase.Terminating) {
                actions.add(new ReplicaAction.Restart(a));
            } else if (resync) {
                actions.add(new ReplicaAction.Report(a.replicaId()));
            }
        }
        for (UUID id : actual.keySet()) {
            if (!wanted.contains(id)) {
                actions.add(new ReplicaAction.Forget(id));
            }
        }
        return actions;
    }
}
