package dev.nanolet.platform.node;

import dev.nanolet.platform.NotFoundException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds and locks rows of {@code nodes}, answering 404 "node … is not registered" for a name
 * that has none: the one lookup that every endpoint and writer naming a node goes through. The
 * rows themselves are written by {@link NodeApi} through {@link NodeEntity} (registration, lease,
 * address, deletion).
 */
@Component
public class RegisteredNodes {
    private final NodeRepository nodes;
    private final JdbcClient jdbc;

    RegisteredNodes(NodeRepository nodes, JdbcClient jdbc) {
        this.nodes = nodes;
        this.jdbc = jdbc;
    }

    /** @throws NotFoundException if no node {@code name} is registered */
    public void require(String name) {
        if (jdbc.sql("SELECT count(*) FROM nodes WHERE name = ?").param(name).query(Integer.class).single() == 0) {
            throw notRegistered(name);
        }
    }

    /**
     * Locks the node's row ({@code FOR NO KEY UPDATE}) for the rest of the transaction: what every
     * change to the node's assignments takes first (docs/node-protocol.md, "Lock order").
     *
     * @throws NotFoundException if no node {@code name} is registered
     */
    public void lockShared(String name) {
        jdbc.sql("SELECT name FROM nodes WHERE name = ? FOR NO KEY UPDATE").param(name).query(String.class).optional()
                .orElseThrow(() -> notRegistered(name));
    }

    /**
     * Locks a node whose lease is older than {@code cutoff} ({@code SKIP LOCKED}: another instance
     * evicting it wins) and answers whether it is older than {@code jobCutoff} too; empty when the
     * node is gone, renewed meanwhile or locked.
     */
    Optional<Boolean> lockIfExpired(String name, Instant cutoff, Instant jobCutoff) {
        return jdbc.sql("SELECT lease_renewed_at < ? FROM nodes WHERE name = ? AND lease_renewed_at < ? FOR NO KEY UPDATE SKIP LOCKED")
                .params(Timestamp.from(jobCutoff), name, Timestamp.from(cutoff)).query(Boolean.class).optional();
    }

    NodeEntity find(String name) {
        return nodes.findById(name).orElseThrow(() -> notRegistered(name));
    }

    /** The node holding its row lock ({@code FOR UPDATE}) until the transaction ends. */
    NodeEntity findLocked(String name) {
        return nodes.findLocked(name).orElseThrow(() -> notRegistered(name));
    }

    private static NotFoundException notRegistered(String name) {
        return new NotFoundException("node " + name + " is not registered");
    }
}
