package dev.nanolet.platform.node;

import static dev.nanolet.wire.NodeRegistration.RESTRICTED_LABEL_PREFIX;

import dev.nanolet.platform.ForbiddenException;
import dev.nanolet.wire.NodeRegistration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The labels under {@value dev.nanolet.wire.NodeRegistration#RESTRICTED_LABEL_PREFIX}: an admin's,
 * never a node's (NodeRestriction in Kubernetes). A node's own labels and the admin's live in one
 * map; each writer replaces only its part. Pure functions.
 */
final class RestrictedLabels {
    private RestrictedLabels() {}

    /** 403 when a node's registration carries a restricted label. */
    static void refuseFromNode(String node, Map<String, String> labels) {
        var refused = NodeRegistration.restricted(labels);
        if (!refused.isEmpty()) {
            throw new ForbiddenException("node " + node + " may not set labels under " + RESTRICTED_LABEL_PREFIX + " " + refused
                    + ": only an admin sets them (PUT /api/v1/nodes/" + node + "/labels); remove them from the node's labels"
                    + " (NANOLET_NODE_LABELS)");
        }
    }

    /** What the node said ({@code fromNode}, none restricted) with the admin's labels kept from {@code stored}. */
    static Map<String, String> withNodes(Map<String, String> stored, Map<String, String> fromNode) {
        return merged(stored, NodeRegistration::restricted, fromNode);
    }

    /** What the admin set ({@code fromAdmin}, all restricted) with the node's labels kept from {@code stored}. */
    static Map<String, String> withAdmins(Map<String, String> stored, Map<String, String> fromAdmin) {
        return merged(stored, key -> !NodeRegistration.restricted(key), fromAdmin);
    }

    private static Map<String, String> merged(Map<String, String> stored, Predicate<String> kept, Map<String, String> replacing) {
        Map<String, String> labels = new TreeMap<>(replacing);
        stored.forEach((key, value) -> {
            if (kept.test(key)) {
                labels.put(key, value);
            }
        });
        return labels;
    }
}
