package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the status of the pods bound to this node. Each write reads the pod and sets the status
 * {@link PodStatuses} computes from what it read (so conditions keep their transition times), on the condition that
 * the pod is still the one read: the write carries the {@code resourceVersion} read (as a kubelet's status manager's
 * does) and replaces the whole status, and on a 409 Conflict (the pod changed in between: a refusal, an edit) the pod is read again and its status
 * computed again, up to {@value #ATTEMPTS} times in all. A report whose write still conflicts then is logged at WARN
 * once, until a report of that pod is written again (its caller, the outbox, tries again and logs at debug).
 */
final class PodStatusWriter {

    private static final Logger log = LoggerFactory.getLogger(PodStatusWriter.class);
    static final int ATTEMPTS = 5;
    private static final int CONFLICT = 409;
    private final KubernetesClient client;
    private final String nodeIp;
    private final Clock clock;

    PodStatusWriter(KubernetesClient client, String nodeIp, Clock clock) {
        this.client = client;
        this.nodeIp = nodeIp;
        this.clock = clock;
    }

    /**
     * The replica's report as {@code t}'s pod status; a failure is the caller's. A refused pod's status is its
     * refusal, whatever its stopping replica reports: a refusal sets refused before it writes, and this edit looks
     * again each time it has read the pod; a refusal written after that read makes the write conflict, and the pod
     * is read again.
     */
    void report(TrackedPod t, ReplicaStatusReport report, ContainerHistory history, Instant now) {
        try {
            edit(t, p -> t.refused ? p.getStatus() : PodStatuses.of(p, report, history, nodeIp, now));
            t.statusConflicts = false;
        } catch (KubernetesClientException e) {
            if (e.getCode() == CONFLICT && !t.statusConflicts) { // the outbox tries again, and logs that at debug only
                t.statusConflicts = true;
                log.warn("cannot write the status of pod {}: it changed on each of {} attempts ({}); trying again", Pods.name(t.pod),
                        ATTEMPTS, e.getMessage());
            }
            throw e;
        }
    }

    /** Failed, with the refusal's reason; whether it was written (a failure is logged, the caller tries again). */
    boolean refused(TrackedPod t, PodTranslation.Refuse refuse) {
        return write(t, p -> PodStatuses.refused(p, refuse.reason(), refuse.message(), nodeIp, clock.instant()));
    }

    /** Pending, its container waiting for what it needs; whether it was written (a failure is logged). */
    boolean waiting(TrackedPod t, PodTranslation.Wait wait) {
        return write(t, p -> PodStatuses.waiting(p, wait.reason(), wait.message(), nodeIp, clock.instant()));
    }

    /** Its ephemeral containers shown as never run ({@link EphemeralContainers}), the rest of its status as it is; a failure is the caller's. */
    void ephemeral(Pod pod) {
        edit(pod, Pod::getStatus, true);
    }

    private boolean write(TrackedPod t, Function<Pod, PodStatus> status) {
        try {
            edit(t, status);
            return true;
        } catch (KubernetesClientException e) {
            log.info("cannot write the status of pod {}: {}", Pods.name(t.pod), e.getMessage());
            return false;
        }
    }

    /**
     * The pod's own status, with its ephemeral containers' as {@link #ephemeral} writes them, unless the API server
     * refused those for good (the node no longer writes them, {@link EphemeralContainers#REFUSALS}): then those shown
     * before stay, and no other rides along, which would make the API server refuse the pod's own status too.
     */
    private void edit(TrackedPod t, Function<Pod, PodStatus> status) {
        edit(t.pod, status, t.ephemeralRefusals < EphemeralContainers.REFUSALS);
    }

    private void edit(Pod pod, Function<Pod, PodStatus> status, boolean ephemeral) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        for (int attempt = 1; ; attempt++) {
            Pod read = client.pods().inNamespace(namespace).withName(name).get();
            if (read == null) {
                throw new KubernetesClientException("pod " + namespace + "/" + name + " not found", 404, null);
            }
            PodStatus next = EphemeralContainers.shown(read, status.apply(read), clock.instant(), ephemeral); // whichever status it writes
            if (next.equals(read.getStatus())) {
                return; // nothing to write (a refused pod's report), and no event for it
            }
            try {
                client.pods().inNamespace(namespace).resource(read).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON), conditional(read, next));
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
                log.debug("pod {}/{} changed since it was read; reading it again", namespace, name);
            }
        }
    }

    /**
     * A JSON patch that replaces the whole status, on the condition that the pod is still at the resourceVersion read:
     * a patched object whose resourceVersion is not the stored one is refused 409 Conflict. (A status PUT would say
     * the same to an API server, but fabric8's CRUD mock takes no notice of the resourceVersion of a status PUT.)
     */
    private String conditional(Pod read, PodStatus status) {
        return client.getKubernetesSerialization().asJson(List.of(
                Map.of("op", "replace", "path", "/metadata/resourceVersion", "value", read.getMetadata().getResourceVersion()),
                Map.of("op", "add", "path", "/status", "value", status)));
    }
}
