package dev.nanolet.platform.replica;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Records one status report of a node about its replica, in the caller's transaction: the one
 * place both status endpoints (one report, a batch) apply a report. Locks the replica, then its
 * node (the lock order of docs/node-protocol.md).
 */
@Component
class StatusRecorder {
    static final int MAX_REASON = 128;
    static final int MAX_MESSAGE = 4096;
    private final ReplicaStore store;
    private final AssignmentLog log;
    private final Termination termination;
    private final Clock clock;

    StatusRecorder(ReplicaStore store, AssignmentLog log, Termination termination, Clock clock) {
        this.store = store;
        this.log = log;
        this.termination = termination;
        this.clock = clock;
    }

    /**
     * @throws InvalidInputException for a report without phase, negative restarts, an overlong reason or message
     */
    static void validate(ReplicaStatusReport report) {
        if (report.phase() == null) {
            throw new InvalidInputException("phase", "is required");
        }
        if (report.restarts() != null && report.restarts() < 0) {
            throw new InvalidInputException("restarts", "must not be negative");
        }
        bounded("reason", report.reason(), MAX_REASON);
        bounded("message", report.message(), MAX_MESSAGE);
    }

    static void bounded(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInputException(field, "must have at most " + max + " characters");
        }
    }

    /**
     * Applies a validated report; Terminating completes the handshake and the replica is forgotten.
     *
     * @throws NotFoundException if the replica does not exist
     * @throws ConflictException if it is bound to another node or the transition is illegal (nothing changed)
     */
    void record(String node, UUID id, ReplicaStatusReport report) {
        ReplicaStore.Reported replica = boundReplica(node, id);
        log.lockNode(node);
        if (report.phase() == ReplicaPhase.Terminating) {
            ReplicaStore.requireTransition(replica, ReplicaPhase.Terminating);
            termination.remove(id);
            return;
        }
        store.moveTo(replica, report.phase(), report.reason(), report.message(), report.restarts(), clock.instant());
    }

    /** Locks the replica's row, checking that it is bound to {@code node}. */
    ReplicaStore.Reported boundReplica(String node, UUID id) {
        ReplicaStore.Reported replica = store.lockForReport(id)
                .orElseThrow(() -> new NotFoundException("replica " + id + " not found"));
        if (!node.equals(replica.node())) {
            throw new ConflictException("replica " + id + " is not bound to node " + node);
        }
        return replica;
    }
}
