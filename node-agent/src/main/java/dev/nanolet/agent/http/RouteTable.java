package dev.nanolet.agent.http;

import dev.nanolet.wire.Route;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The platform's route table as last fetched; kept as is while the platform is unreachable. */
@Component
public class RouteTable {

    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);
    private volatile List<Route> routes = List.of();

    public void update(List<Route> fresh) {
        routes = List.copyOf(fresh);
        log.debug("route table: {} routes", fresh.size());
    }

    List<Route> routes() {
        return routes;
    }
}
