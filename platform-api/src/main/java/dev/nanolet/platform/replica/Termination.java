package dev.nanolet.platform.replica;

import dev.nanolet.platform.node.NodeProperties;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
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

    /** Stops the replica: asks its node, or removes it when no Ready node runs it. Asking twice does nothing. */
    public void terminate(UUID replica) {
        if (store.deleteIfUnbound(replica)) {
            return;
        }
        Optional<String> node = store.lockNodeOf(replica);
        if (node.isEmpty()) {
            return;
        }
        log.lockNode(node.get());
        if (store.isTerminating(replica)) {
            return;
        }
        if (store.askToTerminate(replica, nodes.readySince(clock))) {
            log.record(node.get(), AssignmentLog.Kind.modified, replica);
        } else {
            remove(replica);
        }
    }

    /** Forgets the replica: its node, if any, is sent {@code deleted}. */
    public void remove(UUID replica) {
        store.lockNodeOf(replica).ifPresent(n -> log.record(n, AssignmentLog.Kind.deleted, replica));
        store.delete(replica);
    }
}
