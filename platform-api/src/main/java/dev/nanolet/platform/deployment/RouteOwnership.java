package dev.nanolet.platform.deployment;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.RoutePath;
import org.springframework.stereotype.Component;

/**
 * Route paths are owned by namespace: two live deployments never share a path, and routes of different namespaces
 * are never prefixes of one another on whole segments. A node routes each request to the longest route above it, so
 * a route under another namespace's would take part of its traffic (with its cookies and credentials), and one above
 * it would take all of it once that route is deleted. A team may split its own routes. The check reads other rows,
 * which no row lock covers, so a write checks a new or moved route only under the routes lock
 * ({@link DeploymentWriter#ROUTES_LOCK}); a check that writes nothing (dry run, diff) needs no lock.
 */
@Component
class RouteOwnership {
    private final DeploymentRepository deployments;

    RouteOwnership(DeploymentRepository deployments) {
        this.deployments = deployments;
    }

    /**
     * Refuses a new or moved route that clashes with another live deployment's; 409 naming it. A route {@code self}
     * already serves is not checked again: rows stored before the prefix rule may overlap, and their owners must still be
     * able to change or roll back everything else; such a route is checked once it moves. A check that writes nothing
     * also checks against the routes of the manifest's earlier documents ({@code planned}, where the spec's route is
     * then recorded), instead of the stored routes those documents replace.
     */
    void requireFree(String namespace, String name, DeploymentSpec spec, DeploymentEntity self, PlannedRoutes planned) {
        String path = pathOf(spec);
        if (path != null && (self == null || !path.equals(self.getHttpPath()))) {
            deployments.findLiveRouteClashes(namespace, path).stream()
                    .filter(other -> self == null || !other.getId().equals(self.getId()))
                    .filter(other -> !planned.replaces(other.getNamespace(), other.getName()))
                    .findFirst()
                    .ifPresent(other -> {
                        throw new RouteTakenException(path, other.getHttpPath(), other.getNamespace(), other.getName());
                    });
            planned.requireFree(namespace, name, path);
        }
        planned.add(namespace, name, path);
    }

    /**
     * The route path in canonical form ({@link RoutePath}), as stored, checked for uniqueness and
     * routed by; a revision stored before paths were canonical gets it here on rollback.
     */
    static String pathOf(DeploymentSpec spec) {
        if (!spec.servesHttp()) {
            return null;
        }
        try {
            return RoutePath.ofRoute(spec.http().path());
        } catch (RoutePath.InvalidPathException e) {
            throw new InvalidInputException("http.path", e.getMessage());
        }
    }

    /** The spec as stored: its route path in canonical form, so that reading it back shows the route that is served. */
    static DeploymentSpec canonical(DeploymentSpec s) {
        return !s.servesHttp() ? s : s.withHttp(new DeploymentSpec.HttpSpec(pathOf(s)));
    }
}
