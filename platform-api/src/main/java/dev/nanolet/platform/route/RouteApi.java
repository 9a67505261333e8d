package dev.nanolet.platform.route;

import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.platform.replica.ReplicaStore.RouteRow;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.wire.Route;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/routes}: every HTTP deployment with the addresses of the Ready nodes that
 * run a Running (not terminating) replica of it. Node agents forward requests by this table.
 */
@RestController
class RouteApi {
    private final ReplicaStore replicas;
    private final NodeProperties nodes;
    private final Clock clock;

    RouteApi(ReplicaStore replicas, NodeProperties nodes, Clock clock) {
        this.replicas = replicas;
        this.nodes = nodes;
        this.clock = clock;
    }

    @GetMapping("/api/v1/routes")
    List<Route> routes() {
        List<RouteRow> rows = replicas.routes(nodes.readySince(clock));
        Map<String, List<RouteRow>> byPath = new LinkedHashMap<>();
        rows.forEach(r -> byPath.computeIfAbsent(r.path(), p -> new ArrayList<>()).add(r));
        return byPath.values().stream().map(group -> new Route(group.getFirst().path(), group.getFirst().namespace(),
                group.getFirst().deployment(), group.stream().map(RouteRow::address).filter(a -> a != null).toList())).toList();
    }
}
