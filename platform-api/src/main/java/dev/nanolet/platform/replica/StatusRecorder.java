package dev.nanolet.platform.replica;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import dev.nanolet.platform.NanoletException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Records one status report of a node about its replica, in the caller's transaction: the one
 * place both status endpoints (one report, a batch) apply a report. Locks the replica, and its node
 * only to log a {@code deleted} (the lock order of docs/node-protocol.md).
 */
@Component
class StatusRecorder {
    static final int MAX_REASON = 128;
    static final int MAX_MESSAGE = 4096;
    private final ReplicaStore store;
    private final Termination termination;
    private final Clock clock;

    StatusRecorder(ReplicaStore store, Termination termination, Clock clock) {
        this.store = store;
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

    /** One validated report about a replica. */
    record Report(UUID replica, ReplicaStatusReport report) {}

    /**
     * Applies a validated report; Terminating completes the handshake and the replica is forgotten.
     *
     * @throws NotFoundException if the replica does not exist
     * @throws ConflictException if it is bound to another node or the transition is illegal (nothing changed)
     */
    void record(String node, UUID id, ReplicaStatusReport report) {
        recordAll(node, List.of(new Report(id, report))).getFirst().ifPresent(refused -> {
            throw refused;
        });
    }

    /**
     * Applies validated reports of {@code node} in order, as {@link #record} would one after the other,
     * with a few statements for the whole batch instead of a few per report: every replica is locked
     * in one statement (id order); the reports are checked against the lifecycle in memory (a
     * replica's later report sees its earlier ones), then one statement records every replica's last
     * phase and one pair forgets those that reported Terminating ({@link AssignmentLog} locks the node
     * to log their {@code deleted}). A phase move does not lock the node: the replica's row, locked and
     * bound to {@code node}, is what eviction and node deletion lock first too. Before, every batch
     * waited for the node's row while the scheduler's batch or a lease renewal held it, holding a pooled
     * connection meanwhile: in the 10,000-replica run that wait was 29 % of platform-api's time in
     * PostgreSQL reads, and the pool ran dry (503s, renewals refused, nodes evicted).
     *
     * @return per report, empty when applied, or why it was refused ({@link NotFoundException},
     *         {@link ConflictException}); a refused report changes nothing and does not stop the others
     */
    List<Optional<NanoletException>> recordAll(String node, List<Report> reports) {
        Map<UUID, ReplicaStore.Reported> locked = store.lockForReports(reports.stream().map(Report::replica).toList());
        Instant now = clock.instant();
        Map<UUID, ReplicaStore.Move> moves = new LinkedHashMap<>();
        Map<UUID, String> removed = new LinkedHashMap<>();
        List<Optional<NanoletException>> outcomes = new ArrayList<>(reports.size());
        for (Report r : reports) {
            try {
                ReplicaStore.Reported replica = bound(node, r.replica(), locked.get(r.replica()), removed.containsKey(r.replica()));
                ReplicaStore.Move earlier = moves.get(r.replica());
                ReplicaPhase next = r.report().phase();
                ReplicaStore.requireTransition(earlier == null ? replica : replica.in(earlier.phase()), next);
                if (next == ReplicaPhase.Terminating) {
                    moves.remove(r.replica());
                    removed.put(r.replica(), node);
                } else {
                    Integer restarts = r.report().restarts() != null || earlier == null ? r.report().restarts() : earlier.restarts();
                    moves.put(r.replica(), new ReplicaStore.Move(r.replica(), next, r.report().reason(), r.report().message(), restarts));
                }
                outcomes.add(Optional.empty());
            } catch (NotFoundException | ConflictException e) {
                outcomes.add(Optional.of(e));
            }
        }
        store.moveAll(moves.values(), now);
        termination.removeAll(removed);
        return outcomes;
    }

    /** Locks the replica's row, checking that it is bound to {@code node}. */
    ReplicaStore.Reported boundReplica(String node, UUID id) {
        return bound(node, id, store.lockForReport(id).orElse(null), false);
    }

    private static ReplicaStore.Reported bound(String node, UUID id, ReplicaStore.Reported replica, boolean forgotten) {
        if (replica == null || forgotten) {
            throw new NotFoundException("replica " + id + " not found");
        }
        if (!node.equals(replica.node())) {
            throw new ConflictException("replica " + id + " is not bound to node " + node);
        }
        return replica;
    }
}
