package dev.nanolet.platform.assignment;

import dev.nanolet.platform.replica.AssignmentLog;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.AssignmentSnapshot;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Reads assignments: one replica's, a node's snapshot, and the changes after a version. */
@Component
class AssignmentQueries {
    /** One change of the log. */
    record Change(long resourceVersion, AssignmentLog.Kind kind, Assignment assignment) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ReplicaStore replicas;

    AssignmentQueries(JdbcClient jdbc, JsonMapper json, ReplicaStore replicas) {
        this.jdbc = jdbc;
        this.json = json;
        this.replicas = replicas;
    }

    /**
     * Everything {@code node} must run, and the version it reflects: the highest version of the
     * node's log visible in the same database snapshot.
     */
    @Transactional(isolation = Isolation.REPEATABLE_READ, readOnly = true)
    public AssignmentSnapshot snapshot(String node) {
        long version = jdbc.sql("""
                        SELECT coalesce(max(resource_version), (SELECT pruned_below - 1 FROM assignment_horizon))
                        FROM assignment_changes WHERE node_name = ?""")
                .param(node).query(Long.class).single();
        return new AssignmentSnapshot(version, replicas.assignmentsOn(node));
    }

    /**
     * Whether a watch can resume after {@code version}: every later change is still kept, and the
     * version is not from the future (a client of another database).
     */
    boolean canResumeFrom(long version) {
        return jdbc.sql("""
                        SELECT ? + 1 >= h.pruned_below AND ? <= greatest(h.pruned_below - 1, (SELECT max(resource_version) FROM assignment_changes))
                        FROM assignment_horizon h""")
                .params(version, version).query(Boolean.class).single();
    }

    List<Change> changesAfter(String node, long version, int limit) {
        return jdbc.sql("""
                        SELECT resource_version, kind, payload::text FROM assignment_changes
                        WHERE node_name = ? AND resource_version > ? ORDER BY resource_version LIMIT ?""")
                .params(node, version, limit)
                .query((rs, i) -> new Change(rs.getLong(1), AssignmentLog.Kind.valueOf(rs.getString(2)),
                        json.readValue(rs.getString(3), Assignment.class)))
                .list();
    }

}
