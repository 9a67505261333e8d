package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.replica.DesiredState;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods waiting for a route ({@code RouteTaken}, Pending) whose route is free now (its holder deleted, stopping,
 * moved or refused) run, oldest first as a list weighs them: a relist of the informer delivers the pods added during
 * a gap in its watch before the deletions, so a pod may wait for the route of a pod deleted meanwhile. One whose
 * route another pod holds now waits on, told who holds it. Only the route is weighed before the pod is (no config
 * read for a pod whose route is still taken by the same pod). Worker thread only.
 */
final class RouteWaits {

    private static final Logger log = LoggerFactory.getLogger(RouteWaits.class);
    private final TrackedPods pods;
    private final HeldRoutes routes;
    private final PodEvaluation evaluation;
    private final DesiredState desired;

    RouteWaits(TrackedPods pods, HeldRoutes routes, PodEvaluation evaluation, DesiredState desired) {
        this.pods = pods;
        this.routes = routes;
        this.evaluation = evaluation;
        this.desired = desired;
    }

    /** After every change to the pods: a route may have been freed. */
    void reconsider() {
        pods.all().stream()
                .filter(t -> t.routeWait != null && !t.refused && !Pods.deleting(t.pod))
                .sorted(Comparator.comparing((TrackedPod t) -> t.pod, Pods.OLDEST_FIRST))
                .toList()
                .forEach(t -> {
                    if (routes.claim(new PodTranslation.Run(t.routeWait)) instanceof PodTranslation.Wait w && w.message().equals(t.waiting)) {
                        return; // still taken by the same pod (maybe an older one weighed just before): nothing new to tell
                    }
                    log.info("pod {} is weighed again: a route was freed", Pods.name(t.pod));
                    try {
                        evaluation.of(t.pod).ifPresent(desired::put);
                    } catch (RuntimeException e) {
                        log.warn("cannot handle pod {} now: {}", Pods.name(t.pod), e.toString());
                    }
                });
    }
}
