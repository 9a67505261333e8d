package dev.nanolet.platform.scheduling;

import dev.nanolet.platform.scheduling.Placement.Candidate;
import dev.nanolet.platform.scheduling.Placement.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * For a dry run: whether {@code replicas} replicas of a spec would find room on the Ready nodes
 * now, counting the room the deployment's own replicas take as free (a rollout replaces them).
 * An estimate: it places them one by one as the scheduler would, and writes nothing.
 */
@Component
public class SchedulingCheck {
    private final Scheduler scheduler;

    SchedulingCheck(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Why not all replicas would fit, or empty when they would. {@code deploymentId} null for a new deployment. */
    public Optional<String> whyUnschedulable(Long deploymentId, Map<String, String> nodeSelector, int memoryMiB, int replicas) {
        Request request = new Request(nodeSelector, memoryMiB);
        List<Candidate> nodes = new ArrayList<>(scheduler.candidates(deploymentId == null ? -1 : deploymentId, null).stream()
                .map(n -> new Candidate(n.name(), n.labels(), n.capacityInstances(), n.capacityMemoryMiB(),
                        n.instances() - n.sameDeployment(), n.memoryMiB() - n.sameDeployment() * memoryMiB, 0))
                .toList());
        for (int placed = 0; placed < replicas; placed++) {
            List<Candidate> ranked = Placement.rank(request, nodes);
            if (ranked.isEmpty()) {
                return Optional.of(placed + " of " + replicas + " replicas would fit: " + Placement.why(request, nodes));
            }
            Candidate best = ranked.getFirst();
            nodes.set(nodes.indexOf(best), new Candidate(best.name(), best.labels(), best.capacityInstances(),
                    best.capacityMemoryMiB(), best.instances() + 1, best.memoryMiB() + memoryMiB, best.sameDeployment() + 1));
        }
        return Optional.empty();
    }
}
