package dev.nanolet.platform.replica;

import dev.nanolet.platform.node.NodeProperties;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Ends replicas, in the caller's transaction. A replica still running on a node is asked to stop
 * ({@code modified} with {@code terminating=true}) and is removed once the node reports
 * Terminating; one that no node runs (unbound, Succeeded/Failed, or on a NotReady node) is
 * removed at once.
 *
 * <p>Locks the replica before its node: the one lock order (deployment, replica, node) that every
 * writer follows, written down in docs/node-protocol.md ("Lock order").
 */
@Component
public class Termination {
    private final ReplicaStore store;
    private final AssignmentLog log;
    private final NodeProperties nodes;
    private final Clock clock;

    Termination(ReplicaStore store, AssignmentLog log, NodeProperties nodes, Clock clock) {
        this.store = store;
        this.log = log;
        this.nodes = nodes;
        this.clock = clock;
    }

    /**
     * Stops these replicas as stopping each alone would, with a few statements for all of them
     * (a scale-down of 1,000 is not 8,000 round trips): the unbound ones are deleted, the rest locked
     * in id order, then their nodes in name order; those a Ready node runs are asked to stop (one
     * {@code modified} each), the others removed (one {@code deleted} each); those already asked are left.
     */
    public void terminateAll(Collection<UUID> replicas) {
        if (replicas.isEmpty()) {
            return;
        }
        store.deleteUnbound(replicas);
        List<ReplicaStore.Bound> bound = store.lockBound(replicas).stream().filter(b -> b.node() != null).toList();
        bound.stream().map(ReplicaStore.Bound::node).collect(Collectors.toCollection(TreeSet::new)).forEach(log::lockNode);
        Map<UUID, String> nodeOf = new LinkedHashMap<>();
        bound.stream().filter(b -> !b.terminating()).forEach(b -> nodeOf.put(b.id(), b.node()));
        if (nodeOf.isEmpty()) {
            return;
        }
        Set<UUID> asked = new HashSet<>(store.askToTerminateAll(nodeOf.keySet(), nodes.readySince(clock)));
        log.recordAll(AssignmentLog.Kind.modified, only(nodeOf, asked::contains));
        removeAll(only(nodeOf, id -> !asked.contains(id)));
    }

    /**
     * Forgets these locked replicas, each bound to its node: one {@code deleted} each (one statement for
     * all), then one delete.
     */
    void removeAll(Map<UUID, String> nodeOf) {
        if (nodeOf.isEmpty()) {
            return;
        }
        log.recordAll(AssignmentLog.Kind.deleted, nodeOf);
        store.deleteAll(nodeOf.keySet());
    }

    private static Map<UUID, String> only(Map<UUID, String> nodeOf, Predicate<UUID> keep) {
        Map<UUID, String> kept = new LinkedHashMap<>();
        nodeOf.forEach((id, node) -> {
            if (keep.test(id)) {
                kept.put(id, node);
            }
        });
        return kept;
    }

    /** Forgets the replica: its node, if any, is sent {@code deleted}. */
    public void remove(UUID replica) {
        store.lockNodeOf(replica).ifPresent(n -> log.record(n, AssignmentLog.Kind.deleted, replica));
        store.delete(replica);
    }
}
