package dev.nanolet.agent.replica;

import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Phase changes that are reported as they happen, and the events that go with them (through the
 * same per-replica queue, so a replica's events and status stay in order). Identical warnings are
 * throttled ({@link WarningThrottle}).
 */
@Component
class Transitions {

    private static final Logger log = LoggerFactory.getLogger(Transitions.class);
    private final ReplicaReporter reporter;
    private final WarningThrottle throttle;

    Transitions(ReplicaReporter reporter, Clock clock) {
        this.reporter = reporter;
        this.throttle = new WarningThrottle(clock);
    }

    /** Moves {@code r} and reports it; false if the replica is already Terminating. */
    boolean move(LocalReplica r, ReplicaPhase next, String reason, String message) {
        if (!r.moveTo(next, reason, message)) {
            return false;
        }
        log.debug("replica {} of {}/{} is {}", r.id(), r.assignment().namespace(), r.assignment().deployment(), next);
        reporter.status(r.id(), r.status());
        return true;
    }

    void report(LocalReplica r) {
        reporter.status(r.id(), r.status());
    }

    void discard(UUID replica) {
        reporter.discard(replica);
        throttle.forget(replica);
    }

    void normal(LocalReplica r, String reason, String message) {
        reporter.event(r.id(), new EventReport("Normal", reason, message));
    }

    void warning(LocalReplica r, String reason, String message) {
        throttle.admit(r.id(), reason, message)
                .ifPresent(m -> reporter.event(r.id(), new EventReport("Warning", reason, m)));
    }
}
