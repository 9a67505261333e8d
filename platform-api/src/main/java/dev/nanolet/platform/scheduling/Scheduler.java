package dev.nanolet.platform.scheduling;

import dev.nanolet.platform.replica.AssignmentLog;
import dev.nanolet.platform.control.ControlPass;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.platform.replica.ReplicaStore.Pending;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.scheduling.Placement.Candidate;
import dev.nanolet.platform.scheduling.Placement.Request;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds Pending replicas to Ready nodes, one transaction per bind: the replica's row is taken
 * with {@code SKIP LOCKED} (no instance binds it twice) and the chosen node's row is locked while
 * its allocation is checked again (no instance overfills it).
 */
@Component
@Order(ControlPass.SCHEDULING)
class Scheduler implements ControlPass {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
    private static final int BATCH = 1000;

    private final ReplicaStore replicas;
    private final JsonMapper json;
    private final AssignmentLog log;
    private final Events events;
    private final NodeProperties nodes;
    private final TransactionTemplate tx;
    private final Clock clock;

    Scheduler(ReplicaStore replicas, JsonMapper json, AssignmentLog log, Events events, NodeProperties nodes,
            TransactionTemplate tx, Clock clock) {
        this.replicas = replicas;
        this.json = json;
        this.log = log;
        this.events = events;
        this.nodes = nodes;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void run() {
        replicas.schedulable(BATCH).forEach(id -> tx.executeWithoutResult(s -> schedule(id)));
    }

    private void schedule(UUID id) {
        Pending replica = replicas.lockSchedulable(id).orElse(null);
        if (replica == null) {
            return;
        }
        Request request = new Request(replica.spec().nodeSelector(), replica.memoryMiB());
        List<Candidate> ready = candidates(replica.deploymentId(), null);
        List<Candidate> ranked = Placement.rank(request, ready);
        if (ranked.isEmpty()) {
            unschedulable(replica, Placement.why(request, ready));
            return;
        }
        String node = ranked.getFirst().name();
        log.lockNode(node);
        List<Candidate> locked = candidates(replica.deploymentId(), node);
        if (locked.isEmpty() || !locked.getFirst().fits(request)) {
            return;
        }
        replicas.bind(id, node, clock.instant());
        log.record(node, AssignmentLog.Kind.added, id);
        events.normal("replica/" + id, replica.namespace(), replica.deployment(), node, "Scheduled", "bound to node " + node);
    }

    private void unschedulable(Pending replica, String why) {
        if ("Unschedulable".equals(replica.reason())) {
            return;
        }
        replicas.markUnschedulable(replica.id(), why, clock.instant());
        events.warning("replica/" + replica.id(), replica.namespace(), replica.deployment(), null, "Unschedulable", why);
    }

    /** Ready nodes (or the one named) with what their bound, not finished replicas take. */
    List<Candidate> candidates(long deploymentId, String onlyNode) {
        return replicas.readyNodeLoads(deploymentId, onlyNode, nodes.readySince(clock)).stream()
                .map(n -> new Candidate(n.node(), json.readValue(n.labels(), LABELS), n.capacityInstances(),
                        n.capacityMemoryMiB(), n.instances(), n.memoryMiB(), n.sameDeployment()))
                .toList();
    }
}
