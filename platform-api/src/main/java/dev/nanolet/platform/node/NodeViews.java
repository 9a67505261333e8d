package dev.nanolet.platform.node;

import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeRegistration.Capacity;
import dev.nanolet.wire.NodeUsage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Builds {@link NodeInfo}: allocation from bound replicas, readiness from the lease. */
@Component
class NodeViews {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private record Allocation(String node, int instances, int memoryMiB) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final NodeProperties properties;
    private final Clock clock;

    NodeViews(JdbcClient jdbc, JsonMapper json, NodeProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    NodeInfo info(NodeEntity node) {
        return infos(List.of(node)).getFirst();
    }

    List<NodeInfo> infos(List<NodeEntity> nodes) {
        Map<String, Allocation> allocations = jdbc.sql("""
                        SELECT node_name, count(*), coalesce(sum(memory_mib), 0) FROM replicas
                        WHERE node_name IS NOT NULL AND phase NOT IN ('Succeeded', 'Failed') GROUP BY node_name""")
                .query((rs, i) -> new Allocation(rs.getString(1), rs.getInt(2), rs.getInt(3)))
                .list().stream().collect(Collectors.toMap(Allocation::node, a -> a));
        Instant now = clock.instant();
        return nodes.stream().map(n -> {
            Allocation a = allocations.getOrDefault(n.getName(), new Allocation(n.getName(), 0, 0));
            return new NodeInfo(n.getName(), json.readValue(n.getLabels(), LABELS),
                    new Capacity(n.getCapacityInstances(), n.getCapacityMemoryMiB()),
                    new Capacity(a.instances(), a.memoryMiB()), n.getAddress(),
                    n.isReady(now, properties.leaseDuration()), n.getLeaseRenewedAt(), a.instances(),
                    json.readValue(n.getUsage(), NodeUsage.class));
        }).toList();
    }
}
