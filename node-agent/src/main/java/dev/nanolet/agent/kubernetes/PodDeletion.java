package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the pods this node is done with, as a kubelet does once their container stopped: with grace period 0,
 * and only while the pod is still the one the node ran. A pod whose replica stopped after its graceful deletion was
 * asked goes once no request is in flight, or once its grace period ran out, whichever comes first.
 */
final class PodDeletion {

    private static final Logger log = LoggerFactory.getLogger(PodDeletion.class);
    private static final long DRAIN_CHECK_MILLIS = 100;
    private final KubernetesClient client;
    private final Clock clock;
    private final Predicate<UUID> idle;
    private final ScheduledExecutorService timer;
    private final Executor work;
    private final PodWrites writes;

    /**
     * @param idle whether a replica has no request in flight
     * @param timer checks a draining replica again
     * @param work where a drain's end is told (the adapter's worker thread)
     * @param writes where the deletes are sent, and sent again after a failure
     */
    PodDeletion(KubernetesClient client, Clock clock, Predicate<UUID> idle, ScheduledExecutorService timer, Executor work, PodWrites writes) {
        this.client = client;
        this.clock = clock;
        this.idle = idle;
        this.timer = timer;
        this.work = work;
        this.writes = writes;
    }

    /** Deletes {@code t}'s pod once {@code replica} is idle or the pod's deletionTimestamp passed; once per pod. */
    void afterDrain(TrackedPod t, UUID replica) {
        if (t.deleting) {
            return;
        }
        t.deleting = true;
        Instant deadline = Instant.parse(t.pod.getMetadata().getDeletionTimestamp());
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (idle.test(replica) || !clock.instant().isBefore(deadline)) {
                work.execute(() -> {
                    t.stopped = true;
                    delete(t.pod);
                });
            } else {
                timer.schedule(check[0], DRAIN_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
        };
        check[0].run();
    }

    /**
     * Deletes {@code pod} as {@link #now} does, off the caller's thread ({@link PodWrites}): a delete the API server
     * fails is sent again after its back-off, until the API server takes it or tells that the pod is gone.
     */
    void delete(Pod pod) {
        writes.put(Pods.uid(pod), PodWrites.Kind.DELETE, () -> {
            now(pod);
            return PodWrites.Result.DONE;
        });
    }

    /**
     * Deletes {@code pod} with grace period 0, on condition that it is still this pod (its uid): a pod that a
     * controller created again under the same name meanwhile is not deleted (409). fabric8's {@code delete()} takes
     * no uid precondition, hence the raw request (which the client retries as it does any other: a 429, a 5xx, an
     * I/O error, at most {@value BriefRetries#RETRIES} times on the adapter's client). A failure left after those retries
     * is thrown; {@link #delete} sends it again after its back-off, and logs it ({@link PodWrites}).
     */
    Outcome now(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        try {
            client.raw("/api/v1/namespaces/" + meta.getNamespace() + "/pods/" + meta.getName(), "DELETE", new DeleteOptionsBuilder()
                    .withGracePeriodSeconds(0L).withNewPreconditions().withUid(meta.getUid()).endPreconditions().build());
            return Outcome.DELETED;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                log.debug("pod {}/{} is already gone or replaced; nothing to delete ({})", meta.getNamespace(), meta.getName(), e.getCode());
                return Outcome.GONE;
            }
            throw e;
        }
    }

    /** What a delete came to. */
    enum Outcome {
        /** The API server deleted the pod (or marked it, if a finalizer keeps it). */
        DELETED,
        /**
         * The pod with that uid is gone already (404), or a different pod has its name now (409, the precondition
         * failed): there is nothing to delete, and the pod's delete event follows.
         */
        GONE
    }
}
