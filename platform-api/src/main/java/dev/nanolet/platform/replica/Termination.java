package dev.nanolet.platform.replica;

import dev.nanolet.platform.assignment.AssignmentLog;
import dev.nanolet.platform.assignment.AssignmentLog.Kind;
import dev.nanolet.platform.node.NodeProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    private final JdbcClient jdbc;
    private final AssignmentLog log;
    private final NodeProperties nodes;
    private final Clock clock;

    Termination(JdbcClient jdbc, AssignmentLog log, NodeProperties nodes, Clock clock) {
        this.jdbc = jdbc;
        this.log = log;
        this.nodes = nodes;
        this.clock = clock;
    }

    /** Stops the replica: asks its node, or removes it when no Ready node runs it. Asking twice does nothing. */
    public void terminate(UUID replica) {
        if (jdbc.sql("DELETE FROM replicas WHERE id = ? AND node_name IS NULL").param(replica).update() == 1) {
            return;
        }
        Optional<String> node = lockReplica(replica);
        if (node.isEmpty()) {
            return;
        }
        log.lockNode(node.get());
        if (jdbc.sql("SELECT terminating FROM replicas WHERE id = ?").param(replica).query(Boolean.class).single()) {
            return;
        }
        int asked = jdbc.sql("""
                        UPDATE replicas r SET terminating = true, updated_at = now() FROM nodes n
                        WHERE r.id = ? AND n.name = r.node_name AND n.lease_renewed_at >= ?
                          AND r.phase NOT IN ('Succeeded', 'Failed')""")
                .params(replica, Timestamp.from(nodes.readySince(clock))).update();
        if (asked == 1) {
            log.record(node.get(), Kind.modified, replica);
        } else {
            remove(replica);
        }
    }

    /** Forgets the replica: its node, if any, is sent {@code deleted}. */
    public void remove(UUID replica) {
        Optional<String> node = lockReplica(replica);
        node.ifPresent(n -> log.record(n, Kind.deleted, replica));
        jdbc.sql("DELETE FROM replicas WHERE id = ?").param(replica).update();
    }

    /** Locks the replica's row and answers its node (empty when the replica is gone or unbound). */
    private Optional<String> lockReplica(UUID replica) {
        return jdbc.sql("SELECT node_name FROM replicas WHERE id = ? FOR UPDATE").param(replica)
                .query((rs, i) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(n -> n);
    }
}
