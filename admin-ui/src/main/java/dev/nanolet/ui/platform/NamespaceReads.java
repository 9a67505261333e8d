package dev.nanolet.ui.platform;

import dev.nanolet.wire.Deployment;
import java.util.List;
import java.util.SortedMap;

/**
 * The deployments of the namespaces a token reads one by one, and each namespace whose read failed with why
 * ({@code could not be read: …}), so that one slow or refusing namespace leaves the others shown.
 *
 * @param deployments those of every namespace that was read
 * @param unreadable by namespace, platform-api's refusal or the failure to reach it
 */
public record NamespaceReads(List<Deployment> deployments, SortedMap<String, String> unreadable) {
    public NamespaceReads {
        deployments = List.copyOf(deployments);
        unreadable = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(unreadable));
    }

    /** Every namespace's deployments, read at once ({@code GET /deployments}, a cluster-wide viewer's): none unreadable. */
    public static NamespaceReads whole(List<Deployment> deployments) {
        return new NamespaceReads(deployments, new java.util.TreeMap<>());
    }
}
