package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.EventReport;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a pod's events ({@link PodEvents}) as this node; an event the API server does not take is lost (logged at debug). */
final class EventRecorder {

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
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

    private void create(TrackedPod t, EventReport report, Event event) {
        try {
            client.v1().events().inNamespace(t.pod.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            log.debug("cannot record event {} of pod {}: {}", report.reason(), t.pod.getMetadata().getName(), e.getMessage());
        }
    }
}
