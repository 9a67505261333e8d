package dev.nanolet.platform.route;

import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.wire.Route;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/routes}: every HTTP deployment with the addresses of the Ready nodes that
 * run a Running (not terminating) replica of it. Node agents forward requests by this table.
 */
@RestController
class RouteApi {
    private record Row(String path, String namespace, String name, String address) {}

    private final JdbcClient jdbc;
    private final NodeProperties nodes;
    private final Clock clock;

    RouteApi(JdbcClient jdbc, NodeProperties nodes, Clock clock) {
        this.jdbc = jdbc;
        this.nodes = nodes;
        this.clock = clock;
    }

    @GetMapping("/api/v1/routes")
    List<Route> routes() {
        List<Row> rows = jdbc.sql("""
                        SELECT DISTINCT d.http_path AS path, d.namespace, d.name, n.address
                        FROM deployments d
                        LEFT JOIN (replicas r JOIN nodes n ON n.name = r.node_name AND n.lease_renewed_at >= ?)
                               ON r.deployment_id = d.id AND r.phase = 'Running' AND NOT r.terminating
                        WHERE d.deleted_at IS NULL AND d.http_path IS NOT NULL
                        ORDER BY d.http_path, n.address""")
                .param(Timestamp.from(nodes.readySince(clock)))
                .query(Row.class).list();
        Map<String, List<Row>> byPath = new LinkedHashMap<>();
        rows.forEach(r -> byPath.computeIfAbsent(r.path(), p -> new ArrayList<>()).add(r));
        return byPath.values().stream().map(group -> new Route(group.getFirst().path(), group.getFirst().namespace(),
                group.getFirst().name(), group.stream().map(Row::address).filter(a -> a != null).toList())).toList();
    }
}
