package dev.nanolet.platform.replica;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.event.Events;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaStatusReport;
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
    private final StatusRecorder recorder;
    private final Events events;

    ReplicaStatusApi(StatusRecorder recorder, Events events) {
        this.recorder = recorder;
        this.events = events;
    }

    /** Records a phase; Terminating completes the handshake and the replica is forgotten. */
    @PutMapping("/status")
    @Transactional
    ResponseEntity<Void> status(@PathVariable String node, @PathVariable UUID id, @RequestBody ReplicaStatusReport report) {
        StatusRecorder.validate(report);
        recorder.record(node, id, report);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/events")
    @Transactional
    ResponseEntity<Void> event(@PathVariable String node, @PathVariable UUID id, @RequestBody EventReport report) {
        if (report.reason() == null || report.reason().isBlank()) {
            throw new InvalidInputException("reason", "is required");
        }
        StatusRecorder.bounded("reason", report.reason(), StatusRecorder.MAX_REASON);
        StatusRecorder.bounded("message", report.message(), StatusRecorder.MAX_MESSAGE);
        boolean warning = "Warning".equals(report.type());
        if (!warning && !"Normal".equals(report.type())) {
            throw new InvalidInputException("type", "must be Normal or Warning");
        }
        ReplicaStore.Reported replica = recorder.boundReplica(node, id);
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
}
