package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The pods bound to this node that the adapter knows, by uid. Changed by the worker thread only; read by the report
 * calls, the pulls and the kubelet API too.
 */
final class TrackedPods {

    private final ConcurrentMap<UUID, TrackedPod> pods = new ConcurrentHashMap<>();

    TrackedPod get(UUID id) {
        return pods.get(id);
    }

    boolean contains(UUID id) {
        return pods.containsKey(id);
    }

    /** The pod's entry, made if it had none, with {@code pod} as its latest state. */
    TrackedPod track(Pod pod) {
        TrackedPod t = pods.computeIfAbsent(Pods.uid(pod), x -> new TrackedPod(pod));
        t.pod = pod;
        return t;
    }

    /** Whether the pod was tracked. */
    boolean remove(UUID id) {
        return pods.remove(id) != null;
    }

    /** Only {@code ids} (those a full list has) stay. */
    void retain(Set<UUID> ids) {
        pods.keySet().retainAll(ids);
    }

    Collection<TrackedPod> all() {
        return pods.values();
    }

    /** The uid of a pod this node has, by namespace and name ({@link TrackedPod#named}). */
    Optional<UUID> named(String namespace, String name) {
        return TrackedPod.named(pods.values(), namespace, name);
    }
}
