package dev.nanolet.wire;

import java.util.Map;

/**
 * The body of the admin's {@code PUT /api/v1/nodes/{name}/labels}: the node's labels under
 * {@link NodeRegistration#RESTRICTED_LABEL_PREFIX}, all of them (an empty map removes them).
 */
public record NodeLabels(Map<String, String> labels) {
    public NodeLabels {
        labels = Collections2.map(labels);
    }
}
