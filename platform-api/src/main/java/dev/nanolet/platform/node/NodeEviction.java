package dev.nanolet.platform.node;

import dev.nanolet.platform.control.ControlPass;
import dev.nanolet.platform.event.Events;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Evicts the replicas of NotReady nodes (lease older than the lease duration): they are removed,
 * so the deployment controller creates replacements that the scheduler binds elsewhere.
 * Succeeded and Failed replicas stay: nothing runs them any more. Each node is evicted in one
 * transaction that locks the node's replicas and then the node's row ({@code SKIP LOCKED}, the
 * lock order of docs/node-protocol.md), so instances never evict the same node twice.
 */
@Component
@Order(10)
class NodeEviction implements ControlPass {
    private final JdbcClient jdbc;
    private final NodeReplicas replicas;
    private final Events events;
    private final NodeProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;

    NodeEviction(JdbcClient jdbc, NodeReplicas replicas, Events events, NodeProperties properties,
            TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.replicas = replicas;
        this.events = events;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void run() {
        Instant cutoff = properties.readySince(clock);
        jdbc.sql("""
                        SELECT DISTINCT n.name FROM nodes n JOIN replicas r ON r.node_name = n.name
                        WHERE n.lease_renewed_at < ? AND r.phase NOT IN ('Succeeded', 'Failed')""")
                .param(Timestamp.from(cutoff)).query(String.class).list()
                .forEach(node -> tx.executeWithoutResult(s -> evict(node, cutoff)));
    }

    private void evict(String node, Instant cutoff) {
        var running = replicas.lockRunning(node);
        boolean expired = jdbc.sql("SELECT name FROM nodes WHERE name = ? AND lease_renewed_at < ? FOR NO KEY UPDATE SKIP LOCKED")
                .params(node, Timestamp.from(cutoff)).query(String.class).optional().isPresent();
        if (running.isEmpty() || !expired) {
            return;
        }
        events.warning("node/" + node, null, null, node, "NodeNotReady",
                "lease not renewed for " + properties.leaseDuration() + "; evicting " + running.size() + " replicas");
        replicas.remove(node, running, "Evicted", "node " + node + " is NotReady; the replica will be scheduled elsewhere");
    }
}
