package dev.nanolet.platform.deployment;

import java.util.Collection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Locks the rows of every live deployment a transaction will touch, in one statement and in (namespace, name) order,
 * before it touches any (docs/node-protocol.md, "Lock order"): a transaction that locks several deployment rows takes
 * them here first (a manifest, a secret write rolling out the deployments that use it), so two such transactions
 * never hold one row each while waiting for the other's, whatever order they go on to write them in. Locking a row
 * again later in the same transaction ({@link DeploymentRepository#lockLive}) waits for nothing.
 */
@Component
class DeploymentRows {
    /** One deployment, by namespace and name. */
    record Key(String namespace, String name) {}

    private final JdbcClient jdbc;

    DeploymentRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the live rows of {@code keys} ({@code FOR UPDATE}) until the transaction ends, sorted by (namespace, name):
     * PostgreSQL sorts before it locks. Keys of no live deployment (one a manifest creates) lock nothing.
     */
    void lock(Collection<Key> keys) {
        if (keys.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        SELECT d.id FROM deployments d
                        JOIN unnest(CAST(:namespaces AS text[]), CAST(:names AS text[])) AS k(namespace, name)
                          ON d.namespace = k.namespace AND d.name = k.name
                        WHERE d.deleted_at IS NULL
                        ORDER BY d.namespace, d.name FOR UPDATE OF d""")
                .param("namespaces", keys.stream().map(Key::namespace).toArray(String[]::new))
                .param("names", keys.stream().map(Key::name).toArray(String[]::new))
                .query(Long.class).list();
    }
}
