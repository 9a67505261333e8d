package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Assignment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a pod's container started with, fixed as a kubelet fixes it: env ({@code configMapKeyRef},
 * {@code secretKeyRef}, {@code fieldRef}...) and {@code envFrom} are resolved when the node is first told to run the
 * container, and never again while it runs from that image. A config map or secret deleted, or edited, later changes
 * nothing for it: it keeps its values, and its Running/Ready status. A pod not started yet has none, so it is
 * resolved each time it is weighed and waits ({@code CreateContainerConfigError}) while a reference is missing. An
 * edit of the container's image restarts it, so its env is resolved anew then.
 *
 * <p>Held by its {@link TrackedPod}, so it goes when the pod does: a pod re-created with the same spec (a new uid)
 * resolves its env anew, and nothing of a deleted pod's env stays on the node. After an agent restart a pod the node
 * ran before it stopped started with the env of the saved desired set ({@link HeldRoutes#ranBefore}), as a container
 * outlives a kubelet's restart.
 */
final class StartedEnv {

    private record Started(String image, Map<String, String> env) {}

    private volatile Started started;

    /** The env the container started with, if it started from the image {@code pod} names now. */
    Optional<Map<String, String>> of(Pod pod) {
        Started s = started;
        List<Container> containers = pod.getSpec().getContainers();
        if (s == null || containers == null || containers.isEmpty() || !s.image().equals(containers.getFirst().getImage())) {
            return Optional.empty();
        }
        return Optional.of(s.env());
    }

    /** The node is told to run {@code a}: its env is fixed from now on (a pod being deleted starts nothing). */
    Assignment started(Assignment a) {
        if (!a.terminating()) {
            started = new Started(a.moduleDigest(), a.spec().env());
        }
        return a;
    }
}
