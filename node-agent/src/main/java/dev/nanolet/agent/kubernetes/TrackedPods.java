package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Assignment;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The pods bound to this node that the adapter knows, by uid. Changed by the worker thread only; read by the report
 * calls, the pulls and the kubelet API too. Beside them, the few that wait for a route ({@link TrackedPod#routeWait}):
 * every change to the pods looks at those again ({@link RouteWaits}), not at every pod.
 */
final class TrackedPods {

    private final ConcurrentMap<UUID, TrackedPod> pods = new ConcurrentHashMap<>();
    private final Set<UUID> waiting = ConcurrentHashMap.newKeySet();

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
        waiting.remove(id);
        return pods.remove(id) != null;
    }

    /** Only {@code ids} (those a full list has) stay. */
    void retain(Set<UUID> ids) {
        pods.keySet().retainAll(ids);
        waiting.retainAll(ids);
    }

    /** {@code t} waits to run {@code a} until its route is free; with null, it waits for no route. */
    void routeWait(TrackedPod t, Assignment a) {
        t.routeWait = a;
        if (a == null) {
            waiting.remove(Pods.uid(t.pod));
        } else {
            waiting.add(Pods.uid(t.pod));
        }
    }

    /** The pods that wait for a route. */
    List<TrackedPod> waitingForRoute() {
        return waiting.stream().map(pods::get).filter(Objects::nonNull).filter(t -> t.routeWait != null).toList();
    }

    Collection<TrackedPod> all() {
        return pods.values();
    }

    /** The uid of a pod this node has, by namespace and name ({@link TrackedPod#named}). */
    Optional<UUID> named(String namespace, String name) {
        return TrackedPod.named(pods.values(), namespace, name);
    }
}
