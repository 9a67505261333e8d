package dev.nanolet.platform.node;

import dev.nanolet.platform.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds and locks rows of {@code nodes}, answering 404 "node … is not registered" for a name
 * that has none: the one lookup that every endpoint and writer naming a node goes through. The
 * rows themselves are written by {@link NodeApi} through {@link NodeEntity} (registration, address,
 * deletion); the leases live in {@link NodeLeases}.
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
     * Locks the node's row like {@link #lockShared} but {@code SKIP LOCKED}: false when the node is
     * gone or another transaction (a scheduler's batch, another instance's eviction) holds it.
     */
    boolean lockIfFree(String name) {
        return jdbc.sql("SELECT name FROM nodes WHERE name = ? FOR NO KEY UPDATE SKIP LOCKED").param(name).query(String.class)
                .optional().isPresent();
    }

    NodeEntity find(String name) {
        return nodes.findById(name).orElseThrow(() -> notRegistered(name));
    }

    /** The node holding its row lock ({@code FOR UPDATE}) until the transaction ends. */
    NodeEntity findLocked(String name) {
        return nodes.findLocked(name).orElseThrow(() -> notRegistered(name));
    }

    static NotFoundException notRegistered(String name) {
        return new NotFoundException("node " + name + " is not registered");
    }
}
