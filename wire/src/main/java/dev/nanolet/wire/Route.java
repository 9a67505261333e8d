package dev.nanolet.wire;

import java.util.List;

/**
 * An HTTP route and the addresses of the nodes that run it ({@code GET /api/v1/routes}):
 * how a node agent forwards a request it cannot serve itself.
 */
public record Route(String path, String namespace, String deployment, List<String> nodeAddresses) {
    public Route {
        nodeAddresses = Collections2.list(nodeAddresses);
    }
}
