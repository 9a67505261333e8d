package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.wire.Assignment;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the informer tells of the pods, turned into what the node runs ({@link DesiredState}): a pod changed, a pod
 * gone, a full list. Each ends by looking at the pods waiting for a route ({@link RouteWaits}). Worker thread only.
 * <p>
 * The informer asks only for the pods bound to this node ({@link PodInformer}); a pod whose {@code spec.nodeName} names
 * another node (or none) is still taken as not this node's, so that an API server or a proxy that drops the field
 * selector cannot make this node run, or report on, another node's pods.
 */
final class PodChanges {

    private static final Logger log = LoggerFactory.getLogger(PodChanges.class);
    private final String nodeName;
    private final TrackedPods pods;
    private final HeldRoutes routes;
    private final DesiredState desired;
    private final PodEvaluation evaluation;
    private final RouteWaits waits;

    PodChanges(String nodeName, TrackedPods pods, HeldRoutes routes, DesiredState desired, PodEvaluation evaluation, RouteWaits waits) {
        this.nodeName = nodeName;
        this.pods = pods;
        this.routes = routes;
        this.desired = desired;
        this.evaluation = evaluation;
        this.waits = waits;
    }

    private boolean mine(Pod pod) {
        return pod.getSpec() != null && nodeName.equals(pod.getSpec().getNodeName());
    }

    void changed(Pod pod) {
        UUID id = Pods.uid(pod);
        if (!mine(pod)) {
            routes.release(id);
            if (pods.remove(id)) {
                desired.remove(id);
            }
            waits.reconsider();
            return;
        }
        evaluation.of(pod).ifPresentOrElse(desired::put, () -> {
            TrackedPod t = pods.get(id);
            // a running pod that waits for a config keeps what it runs; a waiting one keeps its claim to a route
            if (t == null || !t.reported || t.refused) {
                desired.remove(id);
            }
        });
        waits.reconsider();
    }

    void gone(Pod pod) {
        UUID id = Pods.uid(pod);
        pods.remove(id);
        routes.release(id);
        desired.remove(id);
        waits.reconsider();
    }

    /**
     * A full list: every pod is weighed anew. The routes held before are what this node runs (a relist after an
     * outage) or, after an agent restart, what it ran before it stopped (the saved desired set: not what a pod's
     * annotation says now, which its namespace may have edited meanwhile); a pod keeps a route it held as long as
     * the route does not move, and new or moved routes are weighed oldest pod first. A pod that waits for a config,
     * or cannot be weighed now (the API server failing a read), keeps its claim, and what it ran if it had reported.
     */
    void snapshot(List<Pod> all) {
        Set<UUID> seen = new HashSet<>();
        all.stream().filter(this::mine).forEach(p -> seen.add(Pods.uid(p)));
        pods.retain(seen); // pods deleted meanwhile hold no route
        routes.retain(seen);
        List<Assignment> run = new ArrayList<>();
        try {
            desired.saved().stream().filter(a -> seen.contains(a.replicaId()) && !pods.contains(a.replicaId()) && !a.terminating())
                    .forEach(routes::heldBefore);
            List<Pod> mine = all.stream().filter(this::mine).sorted(Pods.OLDEST_FIRST).toList();
            for (Pod pod : mine) {
                UUID id = Pods.uid(pod);
                try {
                    evaluation.of(pod).ifPresentOrElse(run::add, () -> keepClaim(id, run));
                } catch (RuntimeException e) {
                    log.warn("cannot handle pod {} now: {}", Pods.name(pod), e.toString());
                    keepClaim(id, run);
                } finally {
                    routes.weighed(id);
                }
            }
        } finally {
            routes.listed();
        }
        desired.replaceAll(run);
        waits.reconsider();
    }

    /**
     * A pod of a list that runs nothing new: unless refused, it keeps its claim ({@link HeldRoutes#keep}). One that runs
     * again what it ran before a restart counts as reported: its next event (the status of its wait written) keeps it
     * running, as it keeps a pod whose replica reported.
     */
    private void keepClaim(UUID id, List<Assignment> run) {
        TrackedPod t = pods.get(id);
        if (t != null && !t.refused) {
            routes.keep(id, t.reported).ifPresent(a -> {
                t.reported = true;
                run.add(a);
            });
        }
    }
}
