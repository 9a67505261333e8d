package dev.nanolet.agent.replica;

import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Duration;
import java.util.UUID;

/**
 * Where replica status and events go (platform-api's node protocol). Implementations never block
 * the caller: they queue and retry on their own threads.
 */
public interface ReplicaReporter {

    void status(UUID replica, ReplicaStatusReport report);

    void event(UUID replica, EventReport event);

    /** Drops whatever is still queued for a replica the node has forgotten. */
    void discard(UUID replica);

    /** Waits up to {@code max} for everything reported so far to be delivered; true if it was. */
    boolean flush(Duration max) throws InterruptedException;
}
