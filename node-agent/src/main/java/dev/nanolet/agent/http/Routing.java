package dev.nanolet.agent.http;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.replica.LocalReplica;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.wire.Route;
import dev.nanolet.wire.RoutePath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Longest-prefix routing, on whole segments, of a canonical request path over the route paths this
 * node serves itself (Running http replicas) and those of the platform's route table, all in
 * canonical form ({@link RoutePath}); local replicas and remote nodes are taken round-robin. A route
 * path that has no canonical form (stored before paths were checked) serves nothing.
 *
 * <p>Route paths are put in canonical form once per change, not per request: a {@link View} is
 * built when the serving replicas ({@link Replicas#servingVersion()}) or the route table changed
 * since the last one, and a request looks up its own path and each of its parents in it
 * (a few map lookups, however many routes the node knows).
 */
@Component
class Routing {

    sealed interface Target {}

    /** Served here by {@code replicas}, in the order to try them. */
    record Local(String route, List<LocalReplica> replicas) implements Target {}

    /** Served by the node at {@code address}. */
    record Remote(String route, String address) implements Target {}

    record None() implements Target {}

    /**
     * Canonical route paths: those served here, with their replicas, and those served elsewhere, with
     * the other nodes' addresses; built from serving version {@code version} and route table {@code table}.
     */
    private record View(long version, List<Route> table, Map<String, List<LocalReplica>> local, Map<String, List<String>> remote) {}

    private final Replicas replicas;
    private final RouteTable table;
    private final String self;
    private final AtomicInteger turn = new AtomicInteger();
    private volatile View view = new View(-1, null, Map.of(), Map.of());

    Routing(Replicas replicas, RouteTable table, NodeProperties node) {
        this.replicas = replicas;
        this.table = table;
        this.self = node.address();
    }

    /** @param path a canonical request path ({@link RoutePath#ofRequest}) */
    Target resolve(String path) {
        View v = view();
        String best = longestServing(v, path);
        if (best == null) {
            return new None();
        }
        int n = Math.floorMod(turn.getAndIncrement(), 1 << 20);
        List<LocalReplica> list = v.local().get(best);
        if (list != null) {
            int start = n % list.size();
            return new Local(best, start == 0 ? list : Stream.concat(list.subList(start, list.size()).stream(),
                    list.subList(0, start).stream()).toList());
        }
        List<String> addresses = v.remote().get(best);
        return new Remote(best, addresses.get(n % addresses.size()));
    }

    /** The longest route of the view that serves {@code path}: the path itself (without a trailing {@code /}), then each parent. */
    private static String longestServing(View v, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        while (true) {
            if (v.local().containsKey(p) || v.remote().containsKey(p)) {
                return p;
            }
            if (p.equals("/")) {
                return null;
            }
            int slash = p.lastIndexOf('/');
            p = slash == 0 ? "/" : p.substring(0, slash);
        }
    }

    /** The view of now: the last one, unless the serving replicas or the route table changed since it was built. */
    private View view() {
        View v = view;
        List<Route> routes = table.routes();
        long version = replicas.servingVersion();
        if (v.version() == version && v.table() == routes) {
            return v;
        }
        View fresh = build(version, routes);
        view = fresh;
        return fresh;
    }

    /** Reads the serving replicas after {@code version} was read, so a change meanwhile makes the next request build again. */
    private View build(long version, List<Route> routes) {
        Map<String, List<LocalReplica>> local = new HashMap<>();
        for (LocalReplica r : replicas.serving()) {
            String route = canonical(r.assignment().spec().http().path());
            if (route != null) {
                local.computeIfAbsent(route, k -> new ArrayList<>()).add(r);
            }
        }
        local.replaceAll((route, list) -> List.copyOf(list));
        Map<String, LinkedHashSet<String>> elsewhere = new HashMap<>();
        for (Route r : routes) {
            String route = canonical(r.path());
            List<String> others = r.nodeAddresses().stream().filter(a -> !isSelf(a)).toList();
            if (route != null && !others.isEmpty()) {
                elsewhere.computeIfAbsent(route, k -> new LinkedHashSet<>()).addAll(others);
            }
        }
        Map<String, List<String>> remote = new HashMap<>();
        elsewhere.forEach((route, addresses) -> remote.put(route, List.copyOf(addresses)));
        return new View(version, routes, Map.copyOf(local), Map.copyOf(remote));
    }

    private boolean isSelf(String address) {
        return address.equals(self) || address.equals(self + "/");
    }

    private static String canonical(String route) {
        try {
            return RoutePath.ofRoute(route);
        } catch (RoutePath.InvalidPathException e) {
            return null;
        }
    }
}
