package dev.nanolet.agent.replica;

import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import org.springframework.stereotype.Component;

/** Phase changes that are reported as they happen, and the events that go with them. */
@Component
class Transitions {

    private final ReplicaReporter reporter;

    Transitions(ReplicaReporter reporter) {
        this.reporter = reporter;
    }

    /** Moves {@code r} and reports it; false if the replica is already Terminating. */
    boolean move(LocalReplica r, ReplicaPhase next, String reason, String message) {
        if (!r.moveTo(next, reason, message)) {
            return false;
        }
        reporter.status(r.id(), r.status());
        return true;
    }

    void report(LocalReplica r) {
        reporter.status(r.id(), r.status());
    }

    void discard(java.util.UUID replica) {
        reporter.discard(replica);
    }

    void event(LocalReplica r, String type, String reason, String message) {
        reporter.event(r.id(), new EventReport(type, reason, message));
    }
}
