package dev.nanolet.agent.http;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.replica.LocalReplica;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.wire.Route;
import dev.nanolet.wire.RoutePath;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Longest-prefix routing, on whole segments, of a canonical request path over the route paths this
 * node serves itself (Running http replicas) and those of the platform's route table, all in
 * canonical form ({@link RoutePath}); local replicas and remote nodes are taken round-robin. A route
 * path that has no canonical form (stored before paths were checked) serves nothing.
 */
@Component
class Routing {

    sealed interface Target {}

    /** Served here by {@code replicas}, in the order to try them. */
    record Local(String route, List<LocalReplica> replicas) implements Target {}

    /** Served by the node at {@code address}. */
    record Remote(String route, String address) implements Target {}

    record None() implements Target {}

    private final Replicas replicas;
    private final RouteTable table;
    private final String self;
    private final AtomicInteger turn = new AtomicInteger();

    Routing(Replicas replicas, RouteTable table, NodeProperties node) {
        this.replicas = replicas;
        this.table = table;
        this.self = node.address();
    }

    /** @param path a canonical request path ({@link RoutePath#ofRequest}) */
    Target resolve(String path) {
        Map<String, List<LocalReplica>> local = replicas.serving().stream()
                .filter(r -> canonical(r.assignment().spec().http().path()) != null)
                .collect(Collectors.groupingBy(r -> canonical(r.assignment().spec().http().path())));
        String best = null;
        for (String route : local.keySet()) {
            best = longer(best, route, path);
        }
        List<Route> routes = table.routes(); // read once: a refresh in between must not change the answer
        for (Route r : routes) {
            if (canonical(r.path()) != null && r.nodeAddresses().stream().anyMatch(a -> !isSelf(a))) {
                best = longer(best, canonical(r.path()), path);
            }
        }
        if (best == null) {
            return new None();
        }
        int n = Math.floorMod(turn.getAndIncrement(), 1 << 20);
        if (local.containsKey(best)) {
            List<LocalReplica> list = local.get(best);
            int start = n % list.size();
            return new Local(best, java.util.stream.Stream.concat(list.subList(start, list.size()).stream(),
                    list.subList(0, start).stream()).toList());
        }
        String route = best;
        List<String> addresses = routes.stream().filter(r -> route.equals(canonical(r.path())))
                .flatMap(r -> r.nodeAddresses().stream()).filter(a -> !isSelf(a)).distinct().toList();
        return new Remote(best, addresses.get(n % addresses.size()));
    }

    private boolean isSelf(String address) {
        return address.equals(self) || address.equals(self + "/");
    }

    private static String longer(String best, String route, String path) {
        if (!RoutePath.serves(route, path)) {
            return best;
        }
        return best == null || route.length() > best.length() ? route : best;
    }

    private static String canonical(String route) {
        try {
            return RoutePath.ofRoute(route);
        } catch (RoutePath.InvalidPathException e) {
            return null;
        }
    }
}
