package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.EventReport;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a pod's events ({@link PodEvents}) as this node; an event the API server does not take is lost. One it
 * refuses (a 4xx but a 429: a 403 for a permission the node lacks, a 422 of its validation) is logged at WARN, quoting
 * the first characters of what the server said, the first time for its status and the event's reason, at most
 * {@value #MAX_WARNED} such pairs per agent, and at debug after that, as is any other failure (a 5xx, a 429 or no
 * answer past the client's own retries, {@link BriefRetries}).
 */
final class EventRecorder {

    static final int MAX_WARNED = 32;
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    /** The refusals warned about, by status and event reason. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;

    EventRecorder(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    void record(TrackedPod t, EventReport report) {
        create(t, report, PodEvents.of(t.pod, report, nodeName, clock.instant()));
    }

    /** An event about the part of the pod {@code fieldPath} names, not its container: an ephemeral container's, say. */
    void record(TrackedPod t, EventReport report, String fieldPath) {
        create(t, report, PodEvents.of(t.pod, report, nodeName, clock.instant(), fieldPath));
    }

    private static boolean refused(int code) {
        return code >= 400 && code < 500 && code != 429;
    }

    /**
     * What the API server said, by its {@link Excerpt}: fabric8's message holds the whole answer (URL, message and
     * status again), as long as the server made it, on a WARN line.
     */
    private static String said(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return e.getCode() + " " + Excerpt.of(message);
    }

    private void create(TrackedPod t, EventReport report, Event event) {
        try {
            client.v1().events().inNamespace(t.pod.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            String key = e.getCode() + " " + event.getReason();
            if (refused(e.getCode()) && warned.size() < MAX_WARNED && warned.add(key)) {
                log.warn("cannot record event {} of pod {}: refused ({}); further {} refusals of {} events are logged at debug",
                        event.getReason(), Pods.name(t.pod), said(e), e.getCode(), event.getReason());
            } else {
                log.debug("cannot record event {} of pod {}: {}", event.getReason(), Pods.name(t.pod), e.getMessage());
            }
        }
    }
}
