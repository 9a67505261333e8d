package dev.nanolet.agent.control;

import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.AssignmentSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the events of the assignment watch into changes of the desired set. Remembers the last
 * resource version (opaque: {@code <epoch>.<version>}) so a reconnect resumes with
 * {@code Last-Event-ID}; after a 410 Gone it forgets it and the next watch starts with a snapshot.
 * The desired state is lazy: the reconciler behind it reports through the control plane that this
 * watch belongs to.
 */
@Component
@PlatformMode
class AssignmentWatch {

    private static final Logger log = LoggerFactory.getLogger(AssignmentWatch.class);
    private final DesiredState reconciler;
    private final JsonMapper json;
    private final LeaseFence fence;
    private volatile String lastEventId;
    private volatile boolean relisting;

    AssignmentWatch(@Lazy DesiredState reconciler, JsonMapper json, LeaseFence fence) {
        this.reconciler = reconciler;
        this.json = json;
        this.fence = fence;
    }

    /**
     * The next watch starts from a fresh snapshot (no {@code Last-Event-ID}); asked after a lease
     * renewal lifted the fence, that snapshot lifts the reconciler's fence too.
     */
    void relistLiftingFence() {
        lastEventId = null;
        relisting = true;
    }

    String lastEventId() {
        return lastEventId;
    }

    /** platform-api answered 410 Gone to the last resource version: the next watch lists everything again. */
    void relist() {
        lastEventId = null;
    }

    /**
     * Applies one event; true when the route table should be fetched again at once: a {@code routes}
     * event (platform-api announces each change of it), or a snapshot (the watch started again: such an
     * announcement may have been missed meanwhile). A change of this node's own assignments is not one:
     * its replicas are routed here without the table, and fetching after each such event had every node
     * fetch it many times while replicas were being placed.
     */
    boolean accept(ServerSentEvent<String> sse) {
        if (sse.event() == null || sse.data() == null) {
            return false;
        }
        log.debug("watch event {} {}", sse.event(), sse.id());
        switch (sse.event()) {
            case "snapshot" -> {
                AssignmentSnapshot s = json.readValue(sse.data(), AssignmentSnapshot.class);
                if (relisting && fence.holds()) {
                    reconciler.replaceAllLiftingFence(s.replicas());
                } else {
                    reconciler.replaceAll(s.replicas());
                }
                relisting = false;
                lastEventId = sse.id() != null ? sse.id() : Long.toString(s.resourceVersion());
                return true;
            }
            case "added", "modified" -> reconciler.put(json.readValue(sse.data(), Assignment.class));
            case "deleted" -> reconciler.remove(json.readValue(sse.data(), Assignment.class).replicaId());
            case "routes" -> {
                return true;
            }
            default -> {
                return false;
            }
        }
        if (sse.id() != null) {
            lastEventId = sse.id();
        }
        return false;
    }
}
