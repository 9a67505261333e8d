package dev.nanolet.agent.control;

import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.AssignmentSnapshot;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the events of the assignment watch into changes of the desired set. Remembers the last
 * resource version so a reconnect resumes with {@code Last-Event-ID}. The desired state is lazy: the
 * reconciler behind it reports through the control plane that this watch belongs to.
 */
@Component
@PlatformMode
class AssignmentWatch {

    private final DesiredState reconciler;
    private final JsonMapper json;
    private volatile String lastEventId;

    AssignmentWatch(@Lazy DesiredState reconciler, JsonMapper json) {
        this.reconciler = reconciler;
        this.json = json;
    }

    String lastEventId() {
        return lastEventId;
    }

    /** Applies one event; true if the desired set changed. */
    boolean accept(ServerSentEvent<String> sse) {
        if (sse.event() == null || sse.data() == null) {
            return false;
        }
        switch (sse.event()) {
            case "snapshot" -> {
                AssignmentSnapshot s = json.readValue(sse.data(), AssignmentSnapshot.class);
                reconciler.replaceAll(s.replicas());
                lastEventId = sse.id() != null ? sse.id() : Long.toString(s.resourceVersion());
                return true;
            }
            case "added", "modified" -> reconciler.put(json.readValue(sse.data(), Assignment.class));
            case "deleted" -> reconciler.remove(json.readValue(sse.data(), Assignment.class).replicaId());
            default -> {
                return false;
            }
        }
        if (sse.id() != null) {
            lastEventId = sse.id();
        }
        return true;
    }
}
