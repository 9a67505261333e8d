package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.RoutePath;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Route ownership between namespaces on one virtual node, the rule platform-api applies to its own
 * deployments: the data plane routes by the longest route above a request, so a pod of one namespace
 * at {@code /shop/admin} would take part of another namespace's {@code /shop} traffic (with its cookies
 * and {@code Authorization}), and one at {@code /} all of it. Routes of different namespaces on a node
 * may therefore not be prefixes of one another on whole segments; one namespace may split its own.
 * Nodes do not forward to one another in this mode, so a node's own pods are all a route can clash with.
 */
final class RouteClaims {

    private RouteClaims() {}

    /**
     * Why {@code candidate} may not take its route: a route of another namespace among {@code accepted}
     * (the pods this node runs, not being deleted) is at, above or under it. Empty for a job, a route
     * that is free, or one that only the candidate's own namespace uses.
     */
    static Optional<String> taken(Assignment candidate, Collection<Assignment> accepted) {
        if (candidate.spec().http() == null) {
            return Optional.empty();
        }
        String path = RoutePath.ofRoute(candidate.spec().http().path());
        return accepted.stream()
                .filter(a -> !a.terminating() && a.spec().http() != null && !a.namespace().equals(candidate.namespace()))
                .filter(a -> clash(path, RoutePath.ofRoute(a.spec().http().path())))
                .min(Comparator.comparing((Assignment a) -> RoutePath.ofRoute(a.spec().http().path()))
                        .thenComparing(a -> a.namespace() + "/" + a.deployment())) // the same owner named whatever the order
                .map(a -> message(path, RoutePath.ofRoute(a.spec().http().path()), a));
    }

    /** Whether two assignments serve the same route (canonical), or are both jobs. */
    static boolean samePath(Assignment a, Assignment b) {
        if (a.spec().http() == null || b.spec().http() == null) {
            return a.spec().http() == b.spec().http();
        }
        return RoutePath.ofRoute(a.spec().http().path()).equals(RoutePath.ofRoute(b.spec().http().path()));
    }

    private static boolean clash(String path, String other) {
        return RoutePath.serves(other, path) || RoutePath.serves(path, other);
    }

    /**
     * Quotes each route by its {@link Excerpt} and the owner whole (a namespace and an object's name, bounded by the API
     * server): two routes of {@link PodTranslation#MAX_ROUTE} characters quoted whole made the message, written into
     * the pod's status and a Warning event, pass an event's 1 KiB. Two routes that differ only past their 64th character
     * are still told apart by the relation named and their lengths.
     */
    private static String message(String path, String ownerPath, Assignment owner) {
        String where = path.equals(ownerPath) ? " is " : RoutePath.serves(ownerPath, path) ? " is under " : " is above ";
        return "route " + Excerpt.of(path) + where + Excerpt.of(ownerPath) + ", served on this node by " + owner.namespace() + "/" + owner.deployment()
                + "; routes of different namespaces must not be prefixes of one another";
    }
}
