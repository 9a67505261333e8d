package dev.nanolet.platform.scheduling;

import dev.nanolet.platform.assignment.AssignmentLog;
import dev.nanolet.platform.control.ControlPass;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.platform.scheduling.Placement.Candidate;
import dev.nanolet.platform.scheduling.Placement.Request;
import dev.nanolet.wire.DeploymentSpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds Pending replicas to Ready nodes, one transaction per bind: the replica's row is taken
 * with {@code SKIP LOCKED} (no instance binds it twice) and the chosen node's row is locked while
 * its allocation is checked again (no instance overfills it).
 */
@Component
@Order(30)
class Scheduler implements ControlPass {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
    private static final int BATCH = 1000;

    private record Pending(UUID id, long deploymentId, int memory, String reason, String namespace, String name, String spec) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AssignmentLog log;
    private final Events events;
    private final NodeProperties nodes;
    private final TransactionTemplate tx;
    private final Clock clock;

    Scheduler(JdbcClient jdbc, JsonMapper json, AssignmentLog log, Events events, NodeProperties nodes,
            TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.log = log;
        this.events = events;
        this.nodes = nodes;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void run() {
        jdbc.sql("""
                        SELECT id FROM replicas WHERE phase = 'Pending' AND node_name IS NULL AND NOT terminating
                        ORDER BY created_at, id LIMIT ?""")
                .param(BATCH).query(UUID.class).list()
                .forEach(id -> tx.executeWithoutResult(s -> schedule(id)));
    }

    private void schedule(UUID id) {
        Pending replica = jdbc.sql("""
                        SELECT r.id, r.deployment_id, r.memory_mib AS memory, r.reason, d.namespace, d.name, rv.spec::text AS spec
                        FROM replicas r JOIN deployments d ON d.id = r.deployment_id
                        JOIN revisions rv ON rv.deployment_id = r.deployment_id AND rv.revision = r.revision
                        WHERE r.id = ? AND r.phase = 'Pending' AND r.node_name IS NULL AND NOT r.terminating
                        FOR UPDATE OF r SKIP LOCKED""")
                .param(id).query(Pending.class).optional().orElse(null);
        if (replica == null) {
            return;
        }
        DeploymentSpec spec = json.readValue(replica.spec(), DeploymentSpec.class);
        Request request = new Request(spec.nodeSelector(), replica.memory());
        List<Candidate> ready = candidates(replica.deploymentId(), null);
        List<Candidate> ranked = Placement.rank(request, ready);
        if (ranked.isEmpty()) {
            unschedulable(replica, Placement.why(request, ready));
            return;
        }
        String node = ranked.getFirst().name();
        log.lockNode(node);
        List<Candidate> locked = candidates(replica.deploymentId(), node);
        if (locked.isEmpty() || !locked.getFirst().fits(request)) {
            return;
        }
        jdbc.sql("""
                        UPDATE replicas SET node_name = ?, phase = 'Scheduled', reason = NULL, message = NULL,
                        scheduled_at = ?, updated_at = ? WHERE id = ?""")
                .params(node, Timestamp.from(clock.instant()), Timestamp.from(clock.instant()), id).update();
        log.record(node, AssignmentLog.Kind.added, id);
        events.normal("replica/" + id, replica.namespace(), replica.name(), node, "Scheduled", "bound to node " + node);
    }

    private void unschedulable(Pending replica, String why) {
        if ("Unschedulable".equals(replica.reason())) {
            return;
        }
        jdbc.sql("UPDATE replicas SET reason = 'Unschedulable', message = ?, updated_at = ? WHERE id = ?")
                .params(why, Timestamp.from(clock.instant()), replica.id()).update();
        events.warning("replica/" + replica.id(), replica.namespace(), replica.name(), null, "Unschedulable", why);
    }

    /** Ready nodes (or the one named) with what their bound, not finished replicas take. */
    List<Candidate> candidates(long deploymentId, String onlyNode) {
        return jdbc.sql("""
                        SELECT n.name, n.labels::text AS labels, n.capacity_instances, n.capacity_memory_mib,
                               count(r.id) AS instances, coalesce(sum(r.memory_mib), 0) AS memory,
                               count(r.id) FILTER (WHERE r.deployment_id = :deployment) AS same
                        FROM nodes n LEFT JOIN replicas r ON r.node_name = n.name AND r.phase NOT IN ('Succeeded', 'Failed')
                        WHERE n.lease_renewed_at >= :since AND (CAST(:node AS text) IS NULL OR n.name = :node)
                        GROUP BY n.name""")
                .param("deployment", deploymentId)
                .param("since", Timestamp.from(nodes.readySince(clock)))
                .param("node", onlyNode)
                .query((rs, i) -> new Candidate(rs.getString("name"), json.readValue(rs.getString("labels"), LABELS),
                        rs.getInt("capacity_instances"), rs.getInt("capacity_memory_mib"), rs.getInt("instances"),
                        rs.getInt("memory"), rs.getInt("same")))
                .list();
    }
}
