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
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the status of the pods bound to this node. Each write reads the pod and sets the status
 * {@link PodStatuses} computes from what it read (so conditions keep their transition times), on the condition that
 * the pod is still the one read: the write carries the {@code resourceVersion} read (as a kubelet's status manager's
 * does) and replaces the whole status, and on a 409 Conflict (the pod changed in between: a refusal, an edit) the pod is read again and its status
 * computed again, up to {@value #ATTEMPTS} times in all. A pod read with another uid than the one written for (deleted
 * and created again under its name, by its controller) is not written, as a kubelet's status manager skips it: the write
 * fails 404, as for a pod gone. A report whose write still conflicts then is logged at WARN
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
            edit(t.pod, p -> t.refused ? p.getStatus() : PodStatuses.of(p, report, history, nodeIp, now), true);
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

    /** Failed, with the refusal's reason; a failure is the caller's (it tries again, and logs it: {@link PodWrites}). */
    void refused(Pod pod, PodTranslation.Refuse refuse) {
        edit(pod, p -> PodStatuses.refused(p, refuse.reason(), refuse.message(), nodeIp, clock.instant()), true);
    }

    /**
     * Pending, its container waiting for what it needs, while {@code t} still waits for that ({@link TrackedPod#waiting},
     * looked at after each read of the pod: once it runs, its replica's report is its status, and a wait read before that
     * report landed conflicts and is not written over it); a failure is the caller's, as for {@link #refused}.
     */
    void waiting(TrackedPod t, PodTranslation.Wait wait) {
        edit(t.pod, p -> wait.message().equals(t.waiting) ? PodStatuses.waiting(p, wait.reason(), wait.message(), nodeIp,
                clock.instant()) : p.getStatus(), true);
    }

    /** Its ephemeral containers shown as never run ({@link EphemeralContainers}), the rest of its status as it is; a failure is the caller's. */
    void ephemeral(Pod pod) {
        edit(pod, Pod::getStatus, false);
    }

    /**
     * Writes {@code status} over the pod read, with its ephemeral containers' ({@link EphemeralContainers#shown}). When
     * it is the pod's {@code own} status, one refused for good ({@link EphemeralContainers#forGood}) with ephemeral
     * statuses the pod did not show yet is written again without them: the API server may refuse those alone (a 422 of
     * its validation), and the pod's phase and restarts must not wait on them; a write it takes carries them.
     */
    private void edit(Pod pod, Function<Pod, PodStatus> status, boolean own) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        for (int attempt = 1; ; attempt++) {
            Pod read = client.pods().inNamespace(namespace).withName(name).get();
            if (read == null || !pod.getMetadata().getUid().equals(read.getMetadata().getUid())) {
                throw new KubernetesClientException("pod " + namespace + "/" + name + (read == null ? " not found" : " was created again"), 404, null);
            }
            PodStatus next = status.apply(read);
            PodStatus shown = EphemeralContainers.shown(read, next, clock.instant(), true); // whichever status it writes
            try {
                try {
                    patch(read, shown);
                } catch (KubernetesClientException e) {
                    PodStatus alone = EphemeralContainers.shown(read, next, clock.instant(), false);
                    if (!own || !EphemeralContainers.forGood(e.getCode()) || alone.equals(shown)) {
                        throw e;
                    }
                    patch(read, alone);
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
                log.debug("pod {}/{} changed since it was read; reading it again", namespace, name);
            }
        }
    }

    /** {@code next} over {@code read}'s status, unless it leaves it as it is (a refused pod's report): no write, no event. */
    private void patch(Pod read, PodStatus next) {
        if (!Objects.equals(next, read.getStatus())) {
            client.pods().inNamespace(read.getMetadata().getNamespace()).resource(read).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), conditional(read, next));
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
