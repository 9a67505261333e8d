package dev.nanolet.platform.route;

import dev.nanolet.wire.Route;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/routes}: every HTTP deployment with the addresses of the Ready nodes that
 * run a Running (not terminating) replica of it ({@link RouteTable}). Node agents forward requests by this table.
 */
@RestController
class RouteApi {
    private final RouteTable routes;

    RouteApi(RouteTable routes) {
        this.routes = routes;
    }

    @GetMapping("/api/v1/routes")
    List<Route> routes() {
        return routes.current();
    }
}
