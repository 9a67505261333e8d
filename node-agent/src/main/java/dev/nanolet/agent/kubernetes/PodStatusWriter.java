package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the status of the pods bound to this node. Each write reads the pod and sets the status
 * {@link PodStatuses} computes from what it read (so conditions keep their transition times).
 */
final class PodStatusWriter {

    private static final Logger log = LoggerFactory.getLogger(PodStatusWriter.class);
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
     * again when it has read the pod (only a refusal written between that look and this write is overwritten, until
     * the pod's next event).
     */
    void report(TrackedPod t, ReplicaStatusReport report, ContainerHistory history, Instant now) {
        edit(t.pod, p -> t.refused ? p.getStatus() : PodStatuses.of(p, report, history, nodeIp, now));
    }

    /** Failed, with the refusal's reason; whether it was written (a failure is logged, the caller tries again). */
    boolean refused(Pod pod, PodTranslation.Refuse refuse) {
        return write(pod, p -> PodStatuses.refused(p, refuse.reason(), refuse.message(), nodeIp, clock.instant()));
    }

    /** Pending, its container waiting for what it needs; whether it was written (a failure is logged). */
    boolean waiting(Pod pod, PodTranslation.Wait wait) {
        return write(pod, p -> PodStatuses.waiting(p, wait.reason(), wait.message(), nodeIp, clock.instant()));
    }

    private boolean write(Pod pod, Function<Pod, PodStatus> status) {
        try {
            edit(pod, status);
            return true;
        } catch (KubernetesClientException e) {
            log.info("cannot write the status of pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    e.getMessage());
            return false;
        }
    }

    private void edit(Pod pod, Function<Pod, PodStatus> status) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .editStatus(p -> {
                    p.setStatus(status.apply(p));
                    return p;
                });
    }
}
