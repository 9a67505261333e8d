package dev.nanolet.platform.replica;

import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.node.RegisteredNodes;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.wire.Assignment;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends to {@code assignment_changes}, the log behind every node's watch stream. Joins the
 * caller's transaction, so a change is logged exactly when it happens. It lives with the replicas
 * because every change of a replica that a node runs is logged here, from {@link Termination},
 * {@link StatusRecorder} and the scheduler; the watch ({@code assignment} package) only reads it.
 *
 * <p>Every append first locks the node's row until commit: the changes of one node therefore
 * commit in resourceVersion order, and a watcher that has seen version N can never later miss
 * a change below N.
 */
@Component
public class AssignmentLog {
    /** What happened to a node's assignment. */
    public enum Kind { added, modified, deleted }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ReplicaStore replicas;
    private final RegisteredNodes nodes;

    AssignmentLog(JdbcClient jdbc, JsonMapper json, ReplicaStore replicas, RegisteredNodes nodes) {
        this.jdbc = jdbc;
        this.json = json;
        this.replicas = replicas;
        this.nodes = nodes;
    }

    /**
     * Locks {@code node}'s row for the rest of the transaction.
     *
     * @throws NotFoundException if no such node is registered
     */
    public void lockNode(String node) {
        nodes.lockShared(node);
    }

    /**
     * Deletes changes older than {@code before} and raises the horizon past them, so a watch
     * resuming from before the horizon gets a fresh snapshot.
     */
    public void prune(Instant before) {
        long highest = jdbc.sql("SELECT coalesce(max(resource_version), 0) FROM assignment_changes WHERE created_at < ?")
                .param(Timestamp.from(before)).query(Long.class).single();
        if (highest > 0) {
            jdbc.sql("UPDATE assignment_horizon SET pruned_below = greatest(pruned_below, ?)").param(highest + 1).update();
            jdbc.sql("DELETE FROM assignment_changes WHERE resource_version <= ?").param(highest).update();
        }
    }

    /** Logs {@code kind} for the replica as it is now (call before deleting its row). */
    public void record(String node, Kind kind, UUID replica) {
        Assignment assignment = replicas.assignment(replica)
                .orElseThrow(() -> new NotFoundException("replica " + replica + " not found"));
        lockNode(node);
        jdbc.sql("INSERT INTO assignment_changes (node_name, replica_id, kind, payload) VALUES (?, ?, ?, ?::jsonb)")
                .params(node, replica, kind.name(), json.writeValueAsString(assignment))
                .update();
    }

    /**
     * Logs {@code kind} for each replica, on its node, in one statement (in the map's order).
     * The nodes are locked in name order first, as the lock order asks when several are.
     */
    public void recordAll(Kind kind, Map<UUID, String> nodeByReplica) {
        if (nodeByReplica.isEmpty()) {
            return;
        }
        new TreeSet<>(nodeByReplica.values()).forEach(this::lockNode);
        Map<UUID, Assignment> assignments = replicas.assignments(nodeByReplica.keySet());
        List<UUID> ids = List.copyOf(nodeByReplica.keySet());
        jdbc.sql("""
                        INSERT INTO assignment_changes (node_name, replica_id, kind, payload)
                        SELECT c.node, c.id, :kind, c.payload::jsonb
                        FROM unnest(CAST(:nodes AS text[]), CAST(:ids AS uuid[]), CAST(:payloads AS text[])) WITH ORDINALITY
                             AS c(node, id, payload, n)
                        ORDER BY c.n""")
                .param("kind", kind.name())
                .param("nodes", ids.stream().map(nodeByReplica::get).toArray(String[]::new))
                .param("ids", ids.toArray(UUID[]::new))
                .param("payloads", ids.stream().map(id -> json.writeValueAsString(found(assignments, id))).toArray(String[]::new))
                .update();
    }

    private static Assignment found(Map<UUID, Assignment> assignments, UUID id) {
        Assignment assignment = assignments.get(id);
        if (assignment == null) {
            throw new NotFoundException("replica " + id + " not found");
        }
        return assignment;
    }
}
