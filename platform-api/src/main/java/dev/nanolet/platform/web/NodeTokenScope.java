package dev.nanolet.platform.web;

/**
 * Which requests a node's own credential may make (the NodeRestriction of Kubernetes): exactly the
 * node protocol for its own name and what a node agent fetches (docs/node-protocol.md); anything
 * else — another node's paths, {@code GET /nodes/{name}/replicas} (a node learns its replicas
 * from its assignments) — is the admin's. The bootstrap token may only register. A pure function
 * of method, path and node, so the whole matrix is unit-tested.
 */
final class NodeTokenScope {
    private NodeTokenScope() {}

    /** Whether the bootstrap token may call {@code method path}: registration only. */
    static boolean bootstrapAllows(String method, String path) {
        return method.equals("POST") && path.equals("/api/v1/nodes");
    }

    /**
     * Whether the credential of {@code node} may call {@code method path} (path within the
     * application, decoded). {@code POST /nodes} is allowed here; the body's name is checked
     * against {@code node} by the registration itself.
     */
    static boolean allows(String method, String path, String node) {
        String[] s = path.split("/", -1);
        if (s.length < 4 || !s[0].isEmpty() || !s[1].equals("api") || !s[2].equals("v1")) {
            return false;
        }
        return switch (s[3]) {
            case "nodes" -> nodeProtocol(method, s, node);
            case "routes" -> s.length == 4 && method.equals("GET");
            case "modules" -> s.length == 6 && method.equals("GET") && !s[4].isEmpty() && s[5].equals("content");
            default -> false;
        };
    }

    /** {@code POST /nodes}, {@code PUT …/lease}, {@code GET …/assignments}, {@code PUT …/status}, {@code POST …/status-reports}, {@code POST …/events}. */
    private static boolean nodeProtocol(String method, String[] s, String node) {
        if (s.length == 4) {
            return method.equals("POST");
        }
        if (!s[4].equals(node)) {
            return false;
        }
        return switch (s.length) {
            case 6 -> is(method, "PUT", s[5], "lease") || is(method, "GET", s[5], "assignments")
                    || is(method, "POST", s[5], "status-reports");
            case 8 -> s[5].equals("replicas") && !s[6].isEmpty()
                    && (is(method, "PUT", s[7], "status") || is(method, "POST", s[7], "events"));
            default -> false;
        };
    }

    private static boolean is(String method, String wantedMethod, String segment, String wantedSegment) {
        return method.equals(wantedMethod) && segment.equals(wantedSegment);
    }
}
