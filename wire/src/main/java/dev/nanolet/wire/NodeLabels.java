package dev.nanolet.wire;

import java.util.Map;

/**
 * The body of the admin's {@code PUT /api/v1/nodes/{name}/labels}: the node's labels under
 * {@link NodeRegistration#RESTRICTED_LABEL_PREFIX}, all of them (an empty map removes them).
 *
 * @param labels null when the body lacks it, which platform-api refuses (422) rather than read as
 *     "remove them all": a mistyped body must not strip a node of its trust
 */
public record NodeLabels(Map<String, String> labels) {
    public NodeLabels {
        labels = labels == null ? null : Collections2.map(labels);
    }
}
