package dev.nanolet.platform.node;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rows of {@code node_leases} (their one writer): when each node last renewed its lease and the
 * usage figures of that renewal. They live apart from {@code nodes} so that a renewal never waits
 * for the node's row, which the control plane locks while it binds to, terminates on or evicts
 * the node (docs/node-protocol.md, "Lock order"); nothing but an eviction's claim locks a lease.
 */
@Component
class NodeLeases {
    private final JdbcClient jdbc;

    NodeLeases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A node's last renewal and the usage JSON it carried. Readiness is computed from it, never stored. */
    record Lease(Instant renewedAt, String usage) {
        static final Lease NONE = new Lease(Instant.EPOCH, "{}");

        /** Whether the lease was renewed within {@code leaseDuration} of {@code now}. */
        boolean ready(Instant now, Duration leaseDuration) {
            return !renewedAt.plus(leaseDuration).isBefore(now);
        }
    }

    /** A (re-)registration: the lease is renewed, the usage kept (a new node's is empty). */
    void registered(String node, Instant now) {
        jdbc.sql("""
                        INSERT INTO node_leases (node_name, renewed_at) VALUES (?, ?)
                        ON CONFLICT (node_name) DO UPDATE SET renewed_at = EXCLUDED.renewed_at""")
                .params(node, Timestamp.from(now)).update();
    }

    /**
     * Renews the node's lease, with its usage when {@code usageJson} is not null; locks the lease's
     * row only, for the rest of the transaction. False when the node is not registered.
     */
    boolean renew(String node, String usageJson, Instant now) {
        return jdbc.sql("UPDATE node_leases SET renewed_at = ?, usage = coalesce(CAST(? AS jsonb), usage) WHERE node_name = ?")
                .params(Timestamp.from(now), usageJson, node).update() == 1;
    }

    /** The leases of these nodes, by name (a node without one has {@link Lease#NONE}: never Ready). */
    Map<String, Lease> of(Collection<String> nodes) {
        return jdbc.sql("SELECT node_name, renewed_at, usage::text FROM node_leases WHERE node_name = ANY(CAST(:nodes AS text[]))")
                .param("nodes", nodes.toArray(String[]::new))
                .query((rs, i) -> Map.entry(rs.getString(1), new Lease(rs.getTimestamp(2).toInstant(), rs.getString(3))))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * When a registered node last renewed its lease or registered; empty when none is registered (no row then: the
     * {@code max} of no lease is one null row, which {@code single()} refuses).
     */
    Optional<Instant> lastRenewal() {
        return jdbc.sql("SELECT max(renewed_at) FROM node_leases HAVING count(*) > 0").query(Timestamp.class).optional()
                .map(Timestamp::toInstant);
    }

    /** Registered nodes, and how many of them renewed at {@code readySince} or later (are Ready). */
    record Readiness(int nodes, int ready) {
        /** No registered node is Ready (full disruption): evictions pause. A platform with no node is not paused. */
        boolean evictionsPaused() {
            return nodes > 0 && ready == 0;
        }
    }

    /** How many registered nodes there are and how many are Ready, one read of the leases. */
    Readiness readiness(Instant readySince) {
        return jdbc.sql("SELECT count(*), count(*) FILTER (WHERE renewed_at >= ?) FROM node_leases")
                .param(Timestamp.from(readySince))
                .query((rs, i) -> new Readiness(rs.getInt(1), rs.getInt(2))).single();
    }

    /**
     * Claims the lease of a node for its eviction: locks it ({@code FOR NO KEY UPDATE SKIP LOCKED})
     * when it is older than {@code cutoff}, so a renewal waits for the eviction to commit, and one
     * that committed first leaves nothing to claim. Answers whether the lease is older than
     * {@code jobCutoff} too; empty when the lease is renewed meanwhile, gone or locked.
     */
    Optional<Boolean> claimIfExpired(String node, Instant cutoff, Instant jobCutoff) {
        return jdbc.sql("SELECT renewed_at < ? FROM node_leases WHERE node_name = ? AND renewed_at < ? FOR NO KEY UPDATE SKIP LOCKED")
                .params(Timestamp.from(jobCutoff), node, Timestamp.from(cutoff)).query(Boolean.class).optional();
    }
}
