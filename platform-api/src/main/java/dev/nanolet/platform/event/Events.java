package dev.nanolet.platform.event;

import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Records events. Joins the caller's transaction, so an event is kept exactly when the change
 * it describes is.
 */
@Component
public class Events {
    private final EventRepository repository;
    private final Clock clock;

    Events(EventRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Something normal happened to a deployment (or one of its replicas when {@code object} names it). */
    public void normal(String object, String namespace, String deployment, String node, String reason, String message) {
        record("Normal", object, namespace, deployment, node, reason, message);
    }

    /** Something went wrong. */
    public void warning(String object, String namespace, String deployment, String node, String reason, String message) {
        record("Warning", object, namespace, deployment, node, reason, message);
    }

    private void record(String type, String object, String namespace, String deployment, String node,
            String reason, String message) {
        repository.save(new EventEntity(clock.instant(), type, reason, message, object, namespace, deployment, node));
    }
}
