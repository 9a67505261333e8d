package dev.nanolet.agent.replica;

import dev.nanolet.wire.Assignment;
import java.util.UUID;

/** One step that brings the node's replicas toward its assignments; computed by {@link ReplicaDiff}. */
sealed interface ReplicaAction {

    /** Fetch, compile and run a replica this node does not have yet. */
    record Start(Assignment assignment) implements ReplicaAction {}

    /** Stop the local copy (a new revision or module) and start it again from the assignment. */
    record Restart(Assignment assignment) implements ReplicaAction {}

    /** Termination handshake: stop the replica and report Terminating. */
    record Terminate(Assignment assignment) implements ReplicaAction {}

    /** The platform no longer lists the replica: stop whatever runs and forget it, silently. */
    record Forget(UUID replicaId) implements ReplicaAction {}

    /** Send the current status again (after a fresh snapshot the platform may have missed reports). */
    record Report(UUID replicaId) implements ReplicaAction {}
}
