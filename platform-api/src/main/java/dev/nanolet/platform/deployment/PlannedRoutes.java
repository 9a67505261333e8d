package dev.nanolet.platform.deployment;

import dev.nanolet.wire.RoutePath;
import java.util.ArrayList;
import java.util.List;

/**
 * The routes a manifest's documents checked so far would leave, for a check that writes nothing
 * ({@code POST /diff}, {@code dryRun}): the apply checks each document against the rows the documents
 * before it have written, so a check without writing sees the stored rows, minus those the earlier
 * documents replace, plus what those documents would store. Not thread-safe: one per check.
 */
final class PlannedRoutes {
    private record Planned(String namespace, String name, String path) {}

    private final List<Planned> planned = new ArrayList<>();

    /** Whether an earlier document is for {@code namespace/name}, so its stored route no longer counts. */
    boolean replaces(String namespace, String name) {
        return planned.stream().anyMatch(p -> p.namespace().equals(namespace) && p.name().equals(name));
    }

    /**
     * Refuses canonical {@code path} for {@code namespace/name} when it clashes with an earlier document's route,
     * by the rule of {@link DeploymentRepository#findLiveRouteClashes}; 409 naming that document's deployment.
     */
    void requireFree(String namespace, String name, String path) {
        planned.stream()
                .filter(p -> p.path() != null && !(p.namespace().equals(namespace) && p.name().equals(name)))
                .filter(p -> p.path().equals(path)
                        || !p.namespace().equals(namespace) && (RoutePath.serves(p.path(), path) || RoutePath.serves(path, p.path())))
                .findFirst()
                .ifPresent(p -> {
                    throw new RouteTakenException(path, p.path(), p.namespace(), p.name());
                });
    }

    /** Records that a document leaves {@code namespace/name} at canonical {@code path} (null: no route). */
    void add(String namespace, String name, String path) {
        planned.removeIf(p -> p.namespace().equals(namespace) && p.name().equals(name));
        planned.add(new Planned(namespace, name, path));
    }
}
