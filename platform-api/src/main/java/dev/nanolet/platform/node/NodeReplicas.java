package dev.nanolet.platform.node;

import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.replica.ReplicaStore.Unfinished;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.replica.Termination;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/** The unfinished replicas of a node, when the node goes away (evicted or deleted by the admin). */
@Component
class NodeReplicas {
    private final ReplicaStore store;
    private final Termination termination;
    private final Events events;

    NodeReplicas(ReplicaStore store, Termination termination, Events events) {
        this.store = store;
        this.termination = termination;
        this.events = events;
    }

    /** Nodes whose lease is older than {@code cutoff} and that still have unfinished replicas. */
    List<String> expiredNodes(Instant cutoff) {
        return store.expiredNodesWithReplicas(cutoff);
    }

    /** Locks (in id order, before any node row) and lists the node's replicas that have not finished. */
    List<Unfinished> lockRunning(String node) {
        return store.lockUnfinishedOn(node);
    }

    /** Removes them (the node is sent {@code deleted}), each with a Warning event. */
    void remove(String node, List<Unfinished> running, String reason, String message) {
        for (Unfinished r : running) {
            termination.remove(r.id());
            events.warning("replica/" + r.id(), r.namespace(), r.deployment(), node, reason, message);
        }
    }
}
