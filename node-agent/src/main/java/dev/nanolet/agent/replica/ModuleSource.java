package dev.nanolet.agent.replica;

import java.util.UUID;

/**
 * Where module bytes come from, for one replica: platform-api's {@code GET /api/v1/modules/{digest}/content} in
 * platform mode, an OCI registry in Kubernetes mode.
 */
@FunctionalInterface
public interface ModuleSource {

    /**
     * Fetches {@code module} for {@code replica}, blocking the calling (never event-loop) thread, as that replica may:
     * in platform mode {@code module} is a content digest the node's own credential fetches; in Kubernetes mode it is
     * an OCI image, pulled with what the replica's pod may pull with (its own pull secrets), never another's.
     *
     * @throws RuntimeException if it cannot be fetched, or not by this replica
     */
    byte[] fetch(UUID replica, String module);
}
