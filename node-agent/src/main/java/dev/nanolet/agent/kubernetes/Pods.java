package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.UUID;

/** What the adapter's parts read of a pod alike. */
final class Pods {

    /** The order new and moved routes are weighed in: oldest pod first, then by namespace/name. */
    static final Comparator<Pod> OLDEST_FIRST = Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
            .thenComparing(Pods::name);

    private Pods() {}

    static UUID uid(Pod pod) {
        return UUID.fromString(pod.getMetadata().getUid());
    }

    /** {@code namespace/name}, as logs name a pod. */
    static String name(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    static boolean deleting(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    static String image(Pod pod) {
        return pod.getSpec().getContainers().isEmpty() ? "" : pod.getSpec().getContainers().getFirst().getImage();
    }
}
