package dev.nanolet.platform.web;

/**
 * Which requests the node token may make: exactly the node protocol and what a node agent
 * fetches (docs/node-protocol.md); anything else — {@code GET /nodes/{name}/replicas} included,
 * a node learns its replicas from its assignments — is the admin's. A pure function of method
 * and path, so the whole matrix is unit-tested.
 */
final class NodeTokenScope {
    private NodeTokenScope() {}

    /** Whether a node agent's token may call {@code method path} (path within the application, decoded). */
    static boolean allows(String method, String path) {
        String[] s = path.split("/", -1);
        if (s.length < 4 || !s[0].isEmpty() || !s[1].equals("api") || !s[2].equals("v1")) {
            return false;
        }
        return switch (s[3]) {
            case "nodes" -> nodeProtocol(method, s);
            case "routes" -> s.length == 4 && method.equals("GET");
            case "modules" -> s.length == 6 && method.equals("GET") && !s[4].isEmpty() && s[5].equals("content");
            default -> false;
        };
    }

    /** {@code POST /nodes}, {@code PUT …/lease}, {@code GET …/assignments}, {@code PUT …/status}, {@code POST …/events}. */
    private static boolean nodeProtocol(String method, String[] s) {
        return switch (s.length) {
            case 4 -> method.equals("POST");
            case 6 -> !s[4].isEmpty() && (is(method, "PUT", s[5], "lease") || is(method, "GET", s[5], "assignments"));
            case 8 -> !s[4].isEmpty() && s[5].equals("replicas") && !s[6].isEmpty()
                    && (is(method, "PUT", s[7], "status") || is(method, "POST", s[7], "events"));
            default -> false;
        };
    }

    private static boolean is(String method, String wantedMethod, String segment, String wantedSegment) {
        return method.equals(wantedMethod) && segment.equals(wantedSegment);
    }
}
