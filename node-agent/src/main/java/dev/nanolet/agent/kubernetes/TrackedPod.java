package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Assignment;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A pod bound to this node, and what the node knows of it beyond the pod itself. Shared by the adapter's worker
 * thread, the report calls, the pulls and the deletion timer, hence volatile fields and an atomically updated history.
 */
final class TrackedPod {

    volatile Pod pod;
    /** Updated by the status reports and by the pull (its image id), on different threads: only through {@link #history(UnaryOperator)}. */
    private final AtomicReference<ContainerHistory> history = new AtomicReference<>(ContainerHistory.NEW);
    volatile int revision = 1;
    volatile boolean refused;
    /** Counted among the node's pods ({@link PodEvaluation}'s admission): once admitted, never refused for the node's capacity. */
    volatile boolean admitted;
    /** What it waits to run until its route is free ({@code RouteTaken}, Pending): weighed again when a route is freed. Set through {@link TrackedPods#routeWait}. */
    volatile Assignment routeWait;
    volatile boolean reported;
    /** Its drain began ({@link PodDeletion#afterDrain}): at most once. */
    volatile boolean deleting;
    /**
     * Being deleted, it runs nothing on the node any more: its drain ended (or nothing ran), and the node sent its delete
     * with grace 0. A pod a finalizer keeps then holds no place among the node's {@code pods}, as on a kubelet.
     */
    volatile boolean stopped;
    /** The wait whose status the node writes (or wrote): its message ({@link PodEvaluation}); null while it runs. */
    volatile String waiting;
    /**
     * Weighings in a row that found what it refers to missing, or that the API server failed to give ({@link ReadRetries});
     * 0 once it is weighed without.
     */
    volatile int readFailures;
    /** A weighing again after that back-off is scheduled ({@link ReadRetries}). */
    volatile boolean readRetry;
    /** A report's status write still conflicted after its attempts, and no report was written since: warned about once. */
    volatile boolean statusConflicts;
    /** The env names it sets that the node sets per request, as last told in a Warning ({@link ShadowedEnv}). */
    volatile Set<String> shadowedEnv = Set.of();
    /** The Services left out of its env, as last told in a Warning ({@link ServiceEnv}). */
    volatile String serviceEnvTold;
    /** The ephemeral containers told as never run here ({@link EphemeralContainers}), whether or not their status was written. */
    final Set<String> ephemeralTold = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Writes of its ephemeral containers' status refused for good in a row ({@link EphemeralContainers#REFUSALS}), since one was last added. */
    volatile int ephemeralRefusals;
    /** The env its container started with, kept while it runs. */
    final StartedEnv env = new StartedEnv();
    /** The images the node was told to run for it or a replica fetched, the latest {@value #IMAGES}, latest last: a replica of an earlier one may still report. */
    private volatile List<String> images = List.of();
    static final int IMAGES = 4;

    TrackedPod(Pod pod) {
        this.pod = pod;
    }

    /**
     * Whether it holds one of the node's {@code pods}: admitted, not refused, not finished, not {@link #stopped} (a
     * kubelet's active pod).
     */
    boolean active() {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return admitted && !refused && !stopped && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /** The node is told to run {@code a} for this pod: its image is remembered, its env fixed ({@link StartedEnv#started}). */
    Assignment told(Assignment a) {
        named(a.moduleDigest());
        return env.started(a);
    }

    /**
     * {@code image} is named for it (told to run, or fetched by a replica): the latest of those {@link #quoted} cuts. A
     * replica of an image older than the {@value #IMAGES} remembered still fetches it, and its failure names it.
     */
    synchronized void named(String image) {
        List<String> now = new ArrayList<>(images);
        now.remove(image);
        now.add(image);
        images = List.copyOf(now.subList(Math.max(0, now.size() - IMAGES), now.size()));
    }

    /**
     * A replica's {@code message} (status or event) with the images it may name ("cannot fetch", "fetched module") as
     * {@link Excerpt} quotes them: the pod's image, and those the node was told to run for it before an edit of it,
     * which a replica still fetching them names. Longest first, so that an image quoted within a longer one is cut as
     * the longer one.
     */
    String quoted(String message) {
        List<String> named = new ArrayList<>(images);
        named.add(Objects.requireNonNullElse(Pods.image(pod), ""));
        named.sort(Comparator.comparingInt(String::length).reversed());
        for (String image : named) {
            message = Excerpt.within(message, image);
        }
        return message;
    }

    /** Applies {@code change} to the pod's history atomically (no report's or pull's update is lost); the history after it. */
    ContainerHistory history(UnaryOperator<ContainerHistory> change) {
        return history.updateAndGet(change);
    }

    /**
     * The uid of the pod {@code namespace/name} among {@code pods}. Of two with one name (one draining, the pod that
     * replaces it), the one not being deleted, else the one created last: what {@code kubectl logs} means.
     */
    static Optional<UUID> named(Collection<TrackedPod> pods, String namespace, String name) {
        return pods.stream().map(t -> t.pod)
                .filter(p -> namespace.equals(p.getMetadata().getNamespace()) && name.equals(p.getMetadata().getName()))
                .max(Comparator.comparing((Pod p) -> p.getMetadata().getDeletionTimestamp() == null)
                        .thenComparing(p -> p.getMetadata().getCreationTimestamp(), Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(p -> UUID.fromString(p.getMetadata().getUid()));
    }
}
