package dev.nanolet.platform.node;

import dev.nanolet.platform.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds a node by name or answers 404 "node … is not registered": the one lookup that every
 * endpoint and writer naming a node goes through.
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
