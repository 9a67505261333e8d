package dev.nanolet.platform.web;

/**
 * Which requests the node token may make: the node protocol and what a node agent fetches.
 * A pure function of method and path, so the whole matrix is unit-tested.
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
            case "nodes" -> (s.length == 4 && method.equals("POST"))
                    || (s.length >= 6 && !s[4].isEmpty() && !s[5].isEmpty());
            case "routes" -> s.length == 4 && method.equals("GET");
            case "modules" -> s.length == 6 && method.equals("GET") && !s[4].isEmpty() && s[5].equals("content");
            default -> false;
        };
    }
}
