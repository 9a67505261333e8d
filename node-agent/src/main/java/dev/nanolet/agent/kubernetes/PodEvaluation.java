package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.EventReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weighs one pod: what the node should run for it, if anything. Refuses it ({@code Failed}, final) or holds it
 * ({@code Pending}, told why) otherwise, with the status, events and deletion that go with it. Worker thread only.
 */
final class PodEvaluation {

    private static final Logger log = LoggerFactory.getLogger(PodEvaluation.class);
    private final TrackedPods pods;
    private final HeldRoutes routes;
    private final PodDeletion deletion;
    private final PodStatusWriter statuses;
    private final EventRecorder events;
    private final ClusterConfig config;
    private final String nodeIp;
    private final int maxPods;
    private final ReadRetries retries;
    private final PodWrites writes;
    private final PendingReads reads;

    /**
     * @param writes where its status writes go (off the worker, tried again after a failure)
     * @param reads where its config maps and secrets are read (off the worker: a weighing does not wait for them)
     */
    PodEvaluation(TrackedPods pods, HeldRoutes routes, PodDeletion deletion, PodStatusWriter statuses, EventRecorder events,
            ClusterConfig config, String nodeIp, int maxPods, ReadRetries retries, PodWrites writes, PendingReads reads) {
        this.pods = pods;
        this.routes = routes;
        this.deletion = deletion;
        this.statuses = statuses;
        this.events = events;
        this.config = config;
        this.nodeIp = nodeIp;
        this.maxPods = maxPods;
        this.retries = retries;
        this.writes = writes;
        this.reads = reads;
    }

    /** What the node should run for {@code pod}, if anything; refuses or holds it otherwise (side effects on the pod). */
    Optional<Assignment> of(Pod pod) {
        return of(pod, null, null);
    }

    /**
     * As {@link #of(Pod)}, where {@code claim} is what {@link HeldRoutes#claim} answered just now for {@code weighed}:
     * if the pod still translates to {@code weighed}, its route is not weighed again.
     */
    Optional<Assignment> of(Pod pod, Assignment weighed, PodTranslation.Result claim) {
        UUID id = Pods.uid(pod);
        boolean known = pods.contains(id);
        TrackedPod t = pods.track(pod);
        boolean deleting = Pods.deleting(pod);
        refuseEphemeral(t);
        if (!known && !deleting && pod.getStatus() != null && ("Succeeded".equals(pod.getStatus().getPhase())
                || "Failed".equals(pod.getStatus().getPhase()))) {
            t.refused = true; // finished before this agent started: never run again
        }
        if (t.refused) {
            if (deleting) {
                deletion.delete(t.pod);
            }
            return Optional.empty();
        }
        routes.ranBefore(id).ifPresent(t::told); // after a restart: it started with the env the node ran it with
        PendingReads.Weighing lookup = reads.of(id, config, () -> retries.now(() -> again(t)));
        PodTranslation.Result translated = admit(t).orElseGet(() -> PodTranslation.translate(pod, t.revision, nodeIp, lookup, t.env.of(pod)));
        boolean pending = lookup.pending(); // if so, weighed again once its read ends
        if (!pending) {
            reads.settle(id);
            if (translated instanceof PodTranslation.Wait w && w.retry() != PodTranslation.Retry.ON_EVENT && !deleting) {
                retries.after(t, w.retry(), () -> again(t));
            } else {
                t.readFailures = 0;
            }
        }
        PodTranslation.Result result = claim != null && translated instanceof PodTranslation.Run same && same.assignment().equals(weighed)
                ? claim : routes.claim(translated);
        return switch (result) {
            case PodTranslation.Run run -> {
                pods.routeWait(t, null);
                t.waiting = null; // a wait that comes again is told again
                warnShadowedEnv(t, run.assignment());
                if (translated instanceof PodTranslation.Run fresh && fresh.warning() != null && !fresh.warning().equals(t.serviceEnvTold)) {
                    t.serviceEnvTold = fresh.warning(); // the claim of a route wait carries none: the translation does
                    events.record(t, new EventReport("Warning", ServiceEnv.REASON, fresh.warning()));
                }
                yield Optional.of(t.told(routes.accept(run.assignment())));
            }
            case PodTranslation.Refuse refuse -> {
                t.refused = true; // Failed, and stopped if it ran: a refused pod never runs here again (Failed is final)
                pods.routeWait(t, null);
                routes.release(id);
                if (deleting) {
                    deletion.delete(t.pod);
                } else {
                    log.info("pod {} cannot run here: {}", Pods.name(pod), refuse.message());
                    write(t, () -> statuses.refused(t.pod, refuse));
                    events.record(t, new EventReport("Warning", refuse.reason(), refuse.message()));
                }
                yield Optional.empty();
            }
            case PodTranslation.Wait wait -> {
                boolean forRoute = HeldRoutes.ROUTE_TAKEN.equals(wait.reason());
                pods.routeWait(t, forRoute && translated instanceof PodTranslation.Run r ? r.assignment() : null);
                Optional<Assignment> stopping = deleting && t.reported ? routes.leave(id) : Optional.empty();
                if (stopping.isPresent()) { // it stops as any pod being deleted does, whatever it waits for
                    yield stopping;
                } else if (deleting) { // nothing runs, but what it ran before a restart, which the list keeps (HeldRoutes.keep)
                    t.stopped = routes.ranBefore(id).isEmpty();
                    deletion.delete(t.pod);
                } else if (!pending && !wait.message().equals(t.waiting)) {
                    t.waiting = wait.message();
                    write(t, () -> statuses.waiting(t, wait));
                    events.record(t, forRoute ? new EventReport("Warning", wait.reason(), wait.message())
                            : new EventReport("Warning", "Failed", "Error: " + wait.message()));
                }
                yield Optional.empty();
            }
        };
    }

    /** {@code t} weighed again by a retry or at the end of its read, unless it went or was refused meanwhile. */
    private Optional<Assignment> again(TrackedPod t) {
        UUID id = Pods.uid(t.pod);
        if (pods.get(id) == t && !t.refused) {
            return of(t.pod);
        }
        reads.forget(id);
        return Optional.empty();
    }

    /**
     * Puts {@code t}'s status write ({@link PodWrites}): the latest one put is the one written, while {@code t} is still
     * the pod tracked under its uid; one that fails (throws) is tried again after a back-off, and logged there. A
     * refusal's status is written until it is (Failed is final); a wait's, while the pod still waits for that.
     */
    private void write(TrackedPod t, Runnable status) {
        UUID id = Pods.uid(t.pod);
        writes.put(id, PodWrites.Kind.STATUS, () -> {
            if (pods.get(id) == t) {
                status.run();
            }
            return PodWrites.Result.DONE;
        });
    }

    /**
     * A kubelet's admission of a pod new to the node: a pod names its node itself ({@code spec.nodeName}) past the
     * scheduler and the node's {@code pods} capacity, so the node fails it ({@code OutOfpods}) while its capacity of
     * pods is active here (not finished, not refused); once admitted, a pod keeps its place until it finishes, goes, or is deleted and its run stopped ({@link TrackedPod#stopped}).
     * During the list after an agent restart, the pods the node ran before it stopped were admitted then and keep
     * their places, as their containers outlive a kubelet's restart, though the list weighs an older pod new to the node
     * first (one bound while the agent was down, or created in the same second): such a pod counts them all.
     */
    private Optional<PodTranslation.Result> admit(TrackedPod t) {
        if (t.admitted || routes.ranBefore(Pods.uid(t.pod)).isPresent()) {
            t.admitted = true;
            return Optional.empty();
        }
        long used = pods.all().stream().filter(TrackedPod::active).count() + routes.notWeighed();
        if (used >= maxPods) {
            return Optional.of(new PodTranslation.Refuse("OutOfpods", "Node didn't have enough resource: pods, requested: 1, used: "
                    + used + ", capacity: " + maxPods));
        }
        t.admitted = true;
        return Optional.empty();
    }

    /**
     * Each ephemeral container the pod was given ({@code kubectl debug}) is told once as a Warning and shown terminated in
     * its status ({@link EphemeralContainers}), that write tried again after a back-off when the API server fails it
     * ({@link PodWrites}), and on the pod's next event (at the latest its resync) when it refuses it for good, until it
     * is written or was refused for good {@value EphemeralContainers#REFUSALS} times in a row (logged once;
     * tried again when another ephemeral container is added); what the pod runs is not weighed any differently.
     */
    private void refuseEphemeral(TrackedPod t) {
        List<String> unshown = EphemeralContainers.unshown(t.pod);
        if (unshown.isEmpty()) {
            return;
        }
        for (String name : unshown) {
            if (t.ephemeralTold.add(name)) {
                t.ephemeralRefusals = 0;
                events.record(t, new EventReport("Warning", EphemeralContainers.REASON, EphemeralContainers.message(name)),
                        EphemeralContainers.fieldPath(name));
            }
        }
        if (t.ephemeralRefusals < EphemeralContainers.REFUSALS) {
            UUID id = Pods.uid(t.pod);
            // counted again when it runs: a write put meanwhile may have been refused the last time
            writes.put(id, PodWrites.Kind.EPHEMERAL, () -> pods.get(id) != t || t.ephemeralRefusals >= EphemeralContainers.REFUSALS
                    ? PodWrites.Result.DONE : ephemeral(t));
        }
    }

    /** One attempt of {@code t}'s ephemeral containers' status: a failure is tried again, a refusal for good on the pod's next event. */
    private PodWrites.Result ephemeral(TrackedPod t) {
        try {
            statuses.ephemeral(t.pod);
            t.ephemeralRefusals = 0;
            return PodWrites.Result.DONE;
        } catch (KubernetesClientException e) {
            if (!EphemeralContainers.forGood(e.getCode())) {
                throw e; // tried again after a back-off, and logged there
            }
            if (++t.ephemeralRefusals == EphemeralContainers.REFUSALS) {
                log.warn("cannot write the ephemeral containers' status of pod {}: refused {} times ({}); not trying again until"
                        + " another ephemeral container is added", Pods.name(t.pod), EphemeralContainers.REFUSALS, e.getMessage());
            }
            return PodWrites.Result.GIVEN_UP;
        }
    }

    /** A Warning event naming the env {@link ShadowedEnv} the pod sets, once for those names (not on every resync). */
    private void warnShadowedEnv(TrackedPod t, Assignment a) {
        Set<String> names = a.terminating() ? Set.of() : ShadowedEnv.of(a);
        if (!names.isEmpty() && !names.equals(t.shadowedEnv)) {
            t.shadowedEnv = names;
            events.record(t, new EventReport("Warning", ShadowedEnv.REASON, ShadowedEnv.message(names)));
        }
    }
}
