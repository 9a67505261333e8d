package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.RoutePath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which pod holds which route on this node ({@link RouteClaims}' rule), kept up to date as pods are weighed: what the
 * node was last told to run for each pod ({@link #accept}) and, during a list after an agent restart, what it ran
 * before it stopped for the pods not weighed yet ({@link #heldBefore}). Both hold their routes ({@link RouteIndex}).
 * Used by the adapter's worker thread only.
 */
class HeldRoutes { // not final: RouteWaitsTest counts its claims

    static final String ROUTE_TAKEN = "RouteTaken";

    /** A pod's claim: what it was accepted with, or what it ran before a restart. */
    private record Key(UUID pod, boolean before) {}

    private final Map<UUID, Assignment> accepted = new HashMap<>();
    private final Map<UUID, Assignment> before = new HashMap<>();
    private final RouteIndex<Key> index = new RouteIndex<>();

    /** What the node was last told to run for {@code pod}, if it was. */
    Optional<Assignment> accepted(UUID pod) {
        return Optional.ofNullable(accepted.get(pod));
    }

    /** The node is told to run {@code a}: its pod holds its route (unless it is being deleted). */
    Assignment accept(Assignment a) {
        accepted.put(a.replicaId(), a);
        index.put(new Key(a.replicaId(), false), a);
        return a;
    }

    /** The pod is refused or gone: it holds nothing it was accepted with. */
    void release(UUID pod) {
        accepted.remove(pod);
        index.remove(new Key(pod, false));
    }

    /** Only {@code pods} (those a full list has) hold routes. */
    void retain(Set<UUID> pods) {
        List.copyOf(accepted.keySet()).stream().filter(id -> !pods.contains(id)).forEach(this::release);
    }

    /** The pod being deleted left the route table: what it ran, now stopping, if it ran anything. */
    Optional<Assignment> leave(UUID pod) {
        return accepted(pod).map(a -> accept(new Assignment(a.replicaId(), a.namespace(), a.deployment(), a.revision(),
                a.moduleDigest(), a.moduleSize(), a.spec(), true, a.secrets())));
    }

    /**
     * During a list after a restart: the node ran {@code a} before it stopped, and its pod is not weighed yet. A saved
     * route with no canonical form (the rules grew stricter across an upgrade) could not be served, so it holds
     * nothing; the list goes on and its pod is weighed, and refused, as any other.
     */
    void heldBefore(Assignment a) {
        before.put(a.replicaId(), a);
        try {
            index.put(new Key(a.replicaId(), true), a);
        } catch (RoutePath.InvalidPathException unroutable) {
            index.remove(new Key(a.replicaId(), true));
        }
    }

    /** During a list after a restart: what the node ran for {@code pod} before it stopped, if it is not weighed yet. */
    Optional<Assignment> ranBefore(UUID pod) {
        return Optional.ofNullable(before.get(pod));
    }

    /** During a list after a restart: how many pods the node ran before it stopped are not weighed yet. */
    int notWeighed() {
        return before.size();
    }

    /** The pod was weighed in the list: what it ran before the restart no longer counts. */
    void weighed(UUID pod) {
        before.remove(pod);
        index.remove(new Key(pod, true));
    }

    /** The list is over. */
    void listed() {
        List.copyOf(before.keySet()).forEach(this::weighed);
    }

    /**
     * {@code result}, or, if it would run a new or moved route that another namespace's pod on this node is at, above
     * or under: a wait ({@code Pending}, weighed again when a route is freed) for a pod that runs nothing yet, a refusal
     * ({@code Failed}, final) for a running pod whose route moves. As in platform-api, a route is weighed only when it is new or moves: a pod keeps the
     * route it holds (a pair that overlapped before the rule keeps running until one moves). A pod being deleted
     * claims nothing (it left the route table), so it is never refused for it.
     */
    PodTranslation.Result claim(PodTranslation.Result result) {
        if (result instanceof PodTranslation.Run run && !run.assignment().terminating()) {
            Assignment a = run.assignment();
            Assignment held = accepted.getOrDefault(a.replicaId(), before.get(a.replicaId()));
            if (held != null && !held.terminating() && RouteClaims.samePath(held, a)) {
                return result;
            }
            Optional<String> taken = index.taken(a);
            if (taken.isPresent()) { // a pod that served a route and moves it stops; a new one waits, as a kubelet's would
                return held != null && !held.terminating() ? new PodTranslation.Refuse(ROUTE_TAKEN, taken.get())
                        : new PodTranslation.Wait(ROUTE_TAKEN, taken.get());
            }
        }
        return result;
    }

    /**
     * A pod of a list that runs nothing new and is not refused keeps its claim: what the node runs for it, if it
     * {@code reported}, or, after a restart, what the node ran before it stopped (the node runs that again unless
     * it needs secret values, never saved).
     */
    Optional<Assignment> keep(UUID pod, boolean reported) {
        Assignment held = before.get(pod);
        Assignment ran = accepted.get(pod);
        if (ran == null && held != null) {
            accept(held);
            return held.needsSecrets() ? Optional.empty() : Optional.of(held);
        }
        return ran != null && reported ? Optional.of(ran) : Optional.empty();
    }
}
