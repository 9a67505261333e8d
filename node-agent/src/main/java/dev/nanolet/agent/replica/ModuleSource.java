package dev.nanolet.agent.replica;

import java.util.UUID;

/** Where module bytes come from: platform-api's {@code GET /api/v1/modules/{digest}/content}. */
public interface ModuleSource {

    /**
     * Fetches the bytes of {@code digest}, blocking the calling (never event-loop) thread.
     *
     * @throws RuntimeException if they cannot be fetched
     */
    byte[] fetch(String digest);

    /**
     * Fetches the module a replica names by another reference than its digest (an OCI image in Kubernetes mode), as
     * that replica may: with what it is allowed to pull with (its pod's own pull secrets), never another's.
     *
     * @throws RuntimeException if it cannot be fetched, or not by this replica
     */
    default byte[] fetch(UUID replica, String module) {
        return fetch(module);
    }
}
