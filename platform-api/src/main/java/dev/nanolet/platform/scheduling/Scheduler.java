package dev.nanolet.platform.scheduling;

import dev.nanolet.platform.replica.AssignmentLog;
import dev.nanolet.platform.control.Changes;
import dev.nanolet.platform.control.ControlPass;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.node.NodeCapacityLimits;
import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.platform.replica.ReplicaStore.DeploymentOnNode;
import dev.nanolet.platform.replica.ReplicaStore.Pending;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.scheduling.Placement.Candidate;
import dev.nanolet.platform.scheduling.Placement.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds Pending replicas to Ready nodes in batches across deployments, one transaction per
 * batch: up to {@link #BATCH} replicas are taken with {@code SKIP LOCKED} (no instance binds one
 * twice; two instances take disjoint batches), the Ready nodes' allocations are read once and the
 * replicas placed in memory one after another by {@link Placement#rank}, as if bound one by one.
 * Then the chosen nodes are locked in name order and their allocations read again (another
 * instance may have bound to them meanwhile): a placement that no longer fits is dropped and its
 * replica stays Pending for the next batch, so no instance overfills a node. The bindings, their
 * assignment-log rows and their events are each written with one statement.
 */
@Component
@Order(ControlPass.SCHEDULING)
class Scheduler implements ControlPass {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
    /**
     * Replicas per transaction: a few statements bind them all. 2,000 rather than 500: each commit
     * wakes every node's watch for a read, and fewer, bigger batches took 10,000 replicas on 100 nodes
     * to Running in 8.5-12.5 s (mean 9.8 s, six runs) against 10.7-13.7 s (docs/performance.md,
     * "Bigger scheduler batches").
     */
    static final int BATCH = 2000;

    private final ReplicaStore replicas;
    private final JsonMapper json;
    private final AssignmentLog log;
    private final Events events;
    private final NodeProperties nodes;
    private final NodeCapacityLimits limits;
    private final TransactionTemplate tx;
    private final Clock clock;

    Scheduler(ReplicaStore replicas, JsonMapper json, AssignmentLog log, Events events, NodeProperties nodes,
            NodeCapacityLimits limits, TransactionTemplate tx, Clock clock) {
        this.replicas = replicas;
        this.json = json;
        this.log = log;
        this.events = events;
        this.nodes = nodes;
        this.limits = limits;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void run(Changes changes) {
        Pending last = null;
        do {
            Pending after = last;
            last = tx.execute(s -> bindBatch(after));
        } while (last != null);
    }

    /**
     * Binds one batch (the one after {@code after} in the scheduling order); the batch's last
     * replica when the batch was full (the next page may hold more), else null.
     */
    private Pending bindBatch(Pending after) {
        List<Pending> pending = replicas.lockSchedulable(BATCH, after);
        if (pending.isEmpty()) {
            return null;
        }
        Loads loads = loads(pending);
        Map<UUID, String> placed = new LinkedHashMap<>();
        for (Pending replica : pending) {
            Request request = new Request(replica.spec().nodeSelector(), replica.memoryMiB());
            List<Candidate> ready = loads.candidates(replica.deploymentId());
            List<Candidate> ranked = Placement.rank(request, ready);
            if (ranked.isEmpty()) {
                unschedulable(replica, Placement.why(request, ready));
            } else {
                String node = ranked.getFirst().name();
                loads.add(node, replica);
                placed.put(replica.id(), node);
            }
        }
        Map<UUID, String> bound = stillFitting(pending, placed);
        Instant now = clock.instant();
        replicas.bind(bound, now);
        log.recordAll(AssignmentLog.Kind.added, bound);
        events.normalAll(pending.stream().filter(r -> bound.containsKey(r.id()))
                .map(r -> new Events.First("replica/" + r.id(), r.namespace(), r.deployment(), bound.get(r.id()),
                        "Scheduled", "bound to node " + bound.get(r.id())))
                .toList());
        return pending.size() == BATCH ? pending.getLast() : null;
    }

    /** Locks the chosen nodes (name order) and keeps the placements that still fit them, in batch order. */
    private Map<UUID, String> stillFitting(List<Pending> pending, Map<UUID, String> placed) {
        new TreeSet<>(placed.values()).forEach(log::lockNode);
        Loads now = new Loads(candidates(-1, null), Map.of());
        Map<UUID, String> kept = new LinkedHashMap<>();
        for (Pending replica : pending) {
            String node = placed.get(replica.id());
            Candidate fresh = node == null ? null : now.byName.get(node);
            if (fresh != null && fresh.fits(new Request(Map.of(), replica.memoryMiB()))) {
                now.add(node, replica);
                kept.put(replica.id(), node);
            }
        }
        return kept;
    }

    private Loads loads(List<Pending> pending) {
        Map<String, Map<Long, Integer>> same = new HashMap<>();
        for (DeploymentOnNode d : replicas.boundOf(pending.stream().map(Pending::deploymentId).collect(Collectors.toSet()))) {
            same.computeIfAbsent(d.node(), n -> new HashMap<>()).put(d.deploymentId(), d.count());
        }
        return new Loads(candidates(-1, null), same);
    }

    /** The Ready nodes' allocations as the batch places replicas on them (totals, and per deployment). */
    private static final class Loads {
        final Map<String, Candidate> byName = new LinkedHashMap<>();
        final Map<String, Map<Long, Integer>> same;

        Loads(List<Candidate> ready, Map<String, Map<Long, Integer>> same) {
            ready.forEach(c -> byName.put(c.name(), c));
            this.same = new HashMap<>(same);
        }

        List<Candidate> candidates(long deploymentId) {
            return byName.values().stream()
                    .map(c -> new Candidate(c.name(), c.labels(), c.capacityInstances(), c.capacityMemoryMiB(),
                            c.instances(), c.memoryMiB(), same.getOrDefault(c.name(), Map.of()).getOrDefault(deploymentId, 0)))
                    .toList();
        }

        void add(String node, Pending replica) {
            Candidate c = byName.get(node);
            byName.put(node, new Candidate(c.name(), c.labels(), c.capacityInstances(), c.capacityMemoryMiB(),
                    c.instances() + 1, c.memoryMiB() + replica.memoryMiB(), 0));
            same.computeIfAbsent(node, n -> new HashMap<>()).merge(replica.deploymentId(), 1, Integer::sum);
        }
    }

    private void unschedulable(Pending replica, String why) {
        if ("Unschedulable".equals(replica.reason())) {
            return;
        }
        replicas.markUnschedulable(replica.id(), why, clock.instant());
        events.warning("replica/" + replica.id(), replica.namespace(), replica.deployment(), null, "Unschedulable", why);
    }

    /**
     * Ready nodes (or the one named) with what their bound, not finished replicas take; their capacity
     * within {@link NodeCapacityLimits}, whatever a node registered before the bound claimed.
     */
    List<Candidate> candidates(long deploymentId, String onlyNode) {
        return replicas.readyNodeLoads(deploymentId, onlyNode, nodes.readySince(clock)).stream()
                .map(n -> new Candidate(n.node(), json.readValue(n.labels(), LABELS), limits.instances(n.capacityInstances()),
                        limits.memoryMib(n.capacityMemoryMiB()), n.instances(), n.memoryMiB(), n.sameDeployment()))
                .toList();
    }
}
