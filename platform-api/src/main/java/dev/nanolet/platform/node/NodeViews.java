package dev.nanolet.platform.node;

import dev.nanolet.platform.node.NodeLeases.Lease;
import dev.nanolet.platform.replica.ReplicaStore.Allocation;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeRegistration.Capacity;
import dev.nanolet.wire.NodeUsage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Builds {@link NodeInfo}: allocation from bound replicas, readiness from the lease. */
@Component
class NodeViews {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private final ReplicaStore replicas;
    private final NodeLeases leases;
    private final JsonMapper json;
    private final NodeProperties properties;
    private final Clock clock;

    NodeViews(ReplicaStore replicas, NodeLeases leases, JsonMapper json, NodeProperties properties, Clock clock) {
        this.replicas = replicas;
        this.leases = leases;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    NodeInfo info(NodeEntity node) {
        return infos(List.of(node)).getFirst();
    }

    List<NodeInfo> infos(List<NodeEntity> nodes) {
        List<String> names = nodes.stream().map(NodeEntity::getName).toList();
        Map<String, Allocation> allocations = replicas.allocations(names).stream()
                .collect(Collectors.toMap(Allocation::node, a -> a));
        Map<String, Lease> byNode = leases.of(names);
        Instant now = clock.instant();
        return nodes.stream().map(n -> {
            Allocation a = allocations.getOrDefault(n.getName(), new Allocation(n.getName(), 0, 0));
            Lease lease = byNode.getOrDefault(n.getName(), Lease.NONE);
            return new NodeInfo(n.getName(), json.readValue(n.getLabels(), LABELS),
                    new Capacity(n.getCapacityInstances(), n.getCapacityMemoryMiB()),
                    new Capacity(a.instances(), a.memoryMiB()), n.getAddress(),
                    lease.ready(now, properties.leaseDuration()), lease.renewedAt(), a.instances(),
                    json.readValue(lease.usage(), NodeUsage.class), n.getResourceVersion());
        }).toList();
    }
}
