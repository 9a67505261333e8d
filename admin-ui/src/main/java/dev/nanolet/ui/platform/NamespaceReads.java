package dev.nanolet.ui.platform;

import java.util.List;
import java.util.SortedMap;

/**
 * What was read of the namespaces a token reads one by one (their deployments, their warnings), and each namespace whose
 * read failed with why ({@code could not be read: …}), so that one slow or refusing namespace leaves the others shown.
 *
 * @param found what every namespace that was read answered
 * @param unreadable by namespace, platform-api's refusal or the failure to reach it
 */
public record NamespaceReads<T>(List<T> found, SortedMap<String, String> unreadable) {
    public NamespaceReads {
        found = List.copyOf(found);
        unreadable = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(unreadable));
    }

    /** Every namespace's, read at once (a cluster-wide viewer's {@code GET /deployments}): none unreadable. */
    public static <T> NamespaceReads<T> whole(List<T> found) {
        return new NamespaceReads<>(found, new java.util.TreeMap<>());
    }
}
