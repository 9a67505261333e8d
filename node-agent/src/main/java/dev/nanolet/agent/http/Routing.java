package dev.nanolet.agent.http;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.replica.LocalReplica;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.wire.Route;
import dev.nanolet.wire.RoutePath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
    private volatile Index index;

    /**
     * The routes by canonical path, built from one {@link Replicas#version()} and one route table: rebuilt
     * only when either changed, so a request costs a few map lookups however many routes the node knows
     * (before, every request put each local replica's and each table route's path through {@link RoutePath}).
     */
    private record Index(long version, List<Route> routes, Map<String, List<LocalReplica>> local, Map<String, List<String>> remote) {}

    Routing(Replicas replicas, RouteTable table, NodeProperties node) {
        this.replicas = replicas;
        this.table = table;
        this.self = node.address();
    }

    /** @param path a canonical request path ({@link RoutePath#ofRequest}) */
    Target resolve(String path) {
        Index ix = index();
        String best = longestRoute(path, ix);
        if (best == null) {
            return new None();
        }
        int n = Math.floorMod(turn.getAndIncrement(), 1 << 20);
        List<LocalReplica> list = ix.local().get(best);
        if (list != null) {
            int start = n % list.size();
            return new Local(best, java.util.stream.Stream.concat(list.subList(start, list.size()).stream(),
                    list.subList(0, start).stream()).toList());
        }
        List<String> addresses = ix.remote().get(best);
        return new Remote(best, addresses.get(n % addresses.size()));
    }

    /** The longest route that serves {@code path} ({@link RoutePath#serves}): the path itself, then each shorter prefix ending before a {@code /}. */
    private static String longestRoute(String path, Index ix) {
        if (known(path, ix)) {
            return path;
        }
        for (int i = path.length() - 1; i > 0; i--) {
            if (path.charAt(i) == '/' && known(path.substring(0, i), ix)) {
                return path.substring(0, i);
            }
        }
        return known("/", ix) ? "/" : null;
    }

    private static boolean known(String route, Index ix) {
        return ix.local().containsKey(route) || ix.remote().containsKey(route);
    }

    private Index index() {
        long version = replicas.version(); // read before the replicas: a change after it makes the next call rebuild
        List<Route> routes = table.routes(); // read once: a refresh in between must not change the answer
        Index ix = index;
        if (ix != null && ix.version() == version && ix.routes() == routes) {
            return ix;
        }
        Map<String, List<LocalReplica>> local = new HashMap<>();
        for (LocalReplica r : replicas.serving()) {
            String route = canonical(r.assignment().spec().http().path());
            if (route != null) {
                local.computeIfAbsent(route, k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, List<String>> remote = new HashMap<>();
        for (Route r : routes) {
            String route = canonical(r.path());
            List<String> others = r.nodeAddresses().stream().filter(a -> !isSelf(a)).toList();
            if (route != null && !others.isEmpty()) {
                List<String> addresses = remote.computeIfAbsent(route, k -> new ArrayList<>());
                others.stream().filter(a -> !addresses.contains(a)).forEach(addresses::add);
            }
        }
        ix = new Index(version, routes, local, remote);
        index = ix;
        return ix;
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
