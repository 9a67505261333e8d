package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.wire.Assignment;
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

    /** After every change to the pods: a route may have been freed. Looks at the pods that wait for one only. */
    void reconsider() {
        pods.waitingForRoute().stream()
                .filter(t -> !t.refused && !Pods.deleting(t.pod))
                .sorted(Comparator.comparing((TrackedPod t) -> t.pod, Pods.OLDEST_FIRST))
                .forEach(this::weigh);
    }

    /** Its route is weighed once: the pod is weighed with that answer, unless it translates to another assignment now. */
    private void weigh(TrackedPod t) {
        Assignment waited = t.routeWait;
        PodTranslation.Result claim = routes.claim(new PodTranslation.Run(waited));
        if (claim instanceof PodTranslation.Wait w && w.message().equals(t.waiting)) {
            return; // still taken by the same pod (maybe an older one weighed just before): nothing new to tell
        }
        log.info("pod {} is weighed again: a route was freed", Pods.name(t.pod));
        try {
            evaluation.of(t.pod, waited, claim).ifPresent(desired::put);
        } catch (RuntimeException e) {
            log.warn("cannot handle pod {} now: {}", Pods.name(t.pod), e.toString());
        }
    }
}
