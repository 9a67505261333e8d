package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.RoutePath;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The routes claimed on this node, sorted by canonical route, so that a pod is weighed ({@link RouteClaims#taken})
 * against the claims at, above or under its route only, not against every claim. The routes above one are its
 * prefixes on whole segments ({@code /}, {@code /a}, {@code /a/b} for {@code /a/b}), the routes under it one range
 * of the sorted routes ({@code /a/b/} up to {@code /a/b0}). Both come in the order {@link RouteClaims#taken} ranks
 * owners in (route, then namespace/workload), so the first owner of another namespace found is the one it names.
 * A claim being deleted, or a job's, holds no route. Not thread-safe.
 *
 * @param <K> what a claim is held under: one claim per key
 */
final class RouteIndex<K> {

    private record Owner(String namespace, String deployment) {}

    /** As {@link RouteClaims#taken} ranks the owners of one route. */
    private static final Comparator<Owner> RANK = Comparator.comparing((Owner o) -> o.namespace() + "/" + o.deployment())
            .thenComparing(Owner::namespace);

    private record Placed(String route, Owner owner) {}

    private final Map<K, Placed> byKey = new HashMap<>();
    private final NavigableMap<String, NavigableMap<Owner, Map<K, Assignment>>> byRoute = new TreeMap<>();

    /** {@code claim} is held under {@code key}, in place of what was. */
    void put(K key, Assignment claim) {
        remove(key);
        if (claim.terminating() || claim.spec().http() == null) {
            return;
        }
        Placed p = new Placed(RoutePath.ofRoute(claim.spec().http().path()), new Owner(claim.namespace(), claim.deployment()));
        byKey.put(key, p);
        byRoute.computeIfAbsent(p.route(), r -> new TreeMap<>(RANK)).computeIfAbsent(p.owner(), o -> new HashMap<>()).put(key, claim);
    }

    void remove(K key) {
        Placed p = byKey.remove(key);
        if (p == null) {
            return;
        }
        NavigableMap<Owner, Map<K, Assignment>> owners = byRoute.get(p.route());
        Map<K, Assignment> claims = owners.get(p.owner());
        claims.remove(key);
        if (claims.isEmpty()) {
            owners.remove(p.owner());
            if (owners.isEmpty()) {
                byRoute.remove(p.route());
            }
        }
    }

    /** {@link RouteClaims#taken} of {@code candidate} against every claim held by another replica. */
    Optional<String> taken(Assignment candidate) {
        if (candidate.spec().http() == null) {
            return Optional.empty();
        }
        String route = RoutePath.ofRoute(candidate.spec().http().path());
        return Stream.concat(above(route), under(route))
                .flatMap(r -> firstOther(byRoute.get(r), candidate).stream())
                .findFirst()
                .flatMap(owner -> RouteClaims.taken(candidate, List.of(owner)));
    }

    /** {@code route} and the routes above it, shortest first. */
    private static Stream<String> above(String route) {
        return Stream.concat(Stream.of("/"), IntStream.rangeClosed(1, route.length())
                .filter(i -> i == route.length() || route.charAt(i) == '/')
                .mapToObj(i -> route.substring(0, i)))
                .distinct();
    }

    private Stream<String> under(String route) {
        NavigableMap<String, ?> below = route.equals("/") ? byRoute.tailMap("/", false)
                : byRoute.subMap(route + "/", true, route + "0", false);
        return below.keySet().stream();
    }

    /** The first claim at one route of another namespace than the candidate's, by another replica. */
    private Optional<Assignment> firstOther(NavigableMap<Owner, Map<K, Assignment>> owners, Assignment candidate) {
        if (owners == null) {
            return Optional.empty();
        }
        return owners.entrySet().stream()
                .filter(e -> !e.getKey().namespace().equals(candidate.namespace()))
                .flatMap(e -> e.getValue().values().stream().filter(a -> !a.replicaId().equals(candidate.replicaId())).limit(1))
                .findFirst();
    }
}
