package dev.nanolet.platform.replica;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.assignment.AssignmentLog;
import dev.nanolet.platform.event.Events;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Clock;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What nodes report about their replicas: phase changes (guarded) and events. */
@RestController
@RequestMapping("/api/v1/nodes/{node}/replicas/{id}")
class ReplicaStatusApi {
    static final int MAX_REASON = 128;
    static final int MAX_MESSAGE = 4096;
    private final ReplicaStore store;
    private final AssignmentLog log;
    private final Termination termination;
    private final Events events;
    private final Clock clock;

    ReplicaStatusApi(ReplicaStore store, AssignmentLog log, Termination termination, Events events, Clock clock) {
        this.store = store;
        this.log = log;
        this.termination = termination;
        this.events = events;
        this.clock = clock;
    }

    /** Records a phase; Terminating completes the handshake and the replica is forgotten. */
    @PutMapping("/status")
    @Transactional
    ResponseEntity<Void> status(@PathVariable String node, @PathVariable UUID id, @RequestBody ReplicaStatusReport report) {
        if (report.phase() == null) {
            throw new InvalidInputException("phase", "is required");
        }
        if (report.restarts() != null && report.restarts() < 0) {
            throw new InvalidInputException("restarts", "must not be negative");
        }
        bounded("reason", report.reason(), MAX_REASON);
        bounded("message", report.message(), MAX_MESSAGE);
        ReplicaStore.Reported replica = boundReplica(node, id);
        log.lockNode(node);
        if (report.phase() == ReplicaPhase.Terminating) {
            ReplicaStore.requireTransition(replica, ReplicaPhase.Terminating);
            termination.remove(id);
            return ResponseEntity.noContent().build();
        }
        store.moveTo(replica, report.phase(), report.reason(), report.message(), report.restarts(), clock.instant());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/events")
    @Transactional
    ResponseEntity<Void> event(@PathVariable String node, @PathVariable UUID id, @RequestBody EventReport report) {
        if (report.reason() == null || report.reason().isBlank()) {
            throw new InvalidInputException("reason", "is required");
        }
        bounded("reason", report.reason(), MAX_REASON);
        bounded("message", report.message(), MAX_MESSAGE);
        boolean warning = "Warning".equals(report.type());
        if (!warning && !"Normal".equals(report.type())) {
            throw new InvalidInputException("type", "must be Normal or Warning");
        }
        ReplicaStore.Reported replica = boundReplica(node, id);
        String ns = replica.namespace();
        String name = replica.deployment();
        String message = report.message() == null ? "" : report.message();
        if (warning) {
            events.warning("replica/" + id, ns, name, node, report.reason(), message);
        } else {
            events.normal("replica/" + id, ns, name, node, report.reason(), message);
        }
        return ResponseEntity.accepted().build();
    }

    private static void bounded(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInputException(field, "must have at most " + max + " characters");
        }
    }

    private ReplicaStore.Reported boundReplica(String node, UUID id) {
        ReplicaStore.Reported replica = store.lockForReport(id)
                .orElseThrow(() -> new NotFoundException("replica " + id + " not found"));
        if (!node.equals(replica.node())) {
            throw new ConflictException("replica " + id + " is not bound to node " + node);
        }
        return replica;
    }
}
