package dev.nanolet.platform.node;

import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.replica.Termination;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The unfinished replicas of a node, when the node goes away (evicted or deleted by the admin). */
@Component
class NodeReplicas {
    /** A replica still to be run or stopped by its node; {@code http} false for a job. */
    record Running(UUID id, String namespace, String deployment, boolean http) {}

    private final JdbcClient jdbc;
    private final Termination termination;
    private final Events events;

    NodeReplicas(JdbcClient jdbc, Termination termination, Events events) {
        this.jdbc = jdbc;
        this.termination = termination;
        this.events = events;
    }

    /** Locks (in id order, before any node row) and lists the node's replicas that have not finished. */
    List<Running> lockRunning(String node) {
        return jdbc.sql("""
                        SELECT r.id, d.namespace, d.name AS deployment, jsonb_typeof(v.spec -> 'http') = 'object' AS http
                        FROM replicas r JOIN deployments d ON d.id = r.deployment_id
                        JOIN revisions v ON v.deployment_id = r.deployment_id AND v.revision = r.revision
                        WHERE r.node_name = ? AND r.phase NOT IN ('Succeeded', 'Failed') ORDER BY r.id FOR UPDATE OF r""")
                .param(node).query(Running.class).list();
    }

    /** Removes them (the node is sent {@code deleted}), each with a Warning event. */
    void remove(String node, List<Running> running, String reason, String message) {
        for (Running r : running) {
            termination.remove(r.id());
            events.warning("replica/" + r.id(), r.namespace(), r.deployment(), node, reason, message);
        }
    }
}
