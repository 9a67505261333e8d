package dev.nanolet.agent.replica;

/** Where module bytes come from: platform-api's {@code GET /api/v1/modules/{digest}/content}. */
public interface ModuleSource {

    /**
     * Fetches the bytes of {@code digest}, blocking the calling (never event-loop) thread.
     *
     * @throws RuntimeException if they cannot be fetched
     */
    byte[] fetch(String digest);
}
