package dev.nanolet.platform.web;

import dev.nanolet.wire.Role;

/**
 * What an API token needs to call {@code method path}: the role matrix of docs/api.md as a pure
 * function, so the whole matrix is unit-tested. Namespaced paths need a role in their namespace;
 * cluster-scoped reads a cluster-wide viewer, except modules (content-addressed, shared), which any
 * token reads and any deployer uploads; any token reads its own grants ({@code GET /tokens/self}) and may revoke itself; the node protocol is never an API token's.
 */
final class ApiAccess {
    private ApiAccess() {}

    /** A requirement, with the sentence a 403 names it by. */
    sealed interface Need {
        boolean satisfiedBy(Caller caller);

        String describe();
    }

    record InNamespace(Role role, String namespace) implements Need {
        public boolean satisfiedBy(Caller c) { return c.has(role, namespace); }
        public String describe() { return "role " + role + " in namespace " + namespace; }
    }

    record ClusterWide(Role role) implements Need {
        public boolean satisfiedBy(Caller c) { return c.has(role, null); }
        public String describe() { return "role " + role + " cluster-wide"; }
    }

    /** Some grant of at least {@code role}; the endpoint narrows further (tokens, audit, apply). */
    record Anywhere(Role role) implements Need {
        public boolean satisfiedBy(Caller c) { return c.hasAnywhere(role); }
        public String describe() { return "role " + role + " in some namespace"; }
    }

    /** The node protocol: node credentials only. */
    record NodeProtocol() implements Need {
        public boolean satisfiedBy(Caller c) { return false; }
        public String describe() { return "a node's own credential (the node protocol is not open to API tokens)"; }
    }

    /** What calling {@code method path} (path within the application, decoded) needs. */
    static Need need(String method, String path) {
        String[] s = path.split("/", -1);
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (s.length < 4 || !s[0].isEmpty() || !s[1].equals("api") || !s[2].equals("v1")) {
            return new ClusterWide(Role.admin);
        }
        return switch (s[3]) {
            case "namespaces" -> s.length >= 5 && !s[4].isEmpty()
                    ? new InNamespace(read ? Role.viewer : Role.deployer, s[4])
                    : new ClusterWide(read ? Role.viewer : Role.admin);
            case "modules" -> read ? new Anywhere(Role.viewer)
                    : method.equals("POST") && s.length == 4 ? new Anywhere(Role.deployer) : new ClusterWide(Role.admin);
            case "nodes" -> NodeTokenScope.allows(method, path, s.length > 4 ? s[4] : "") ? new NodeProtocol()
                    : new ClusterWide(read ? Role.viewer : Role.admin);
            case "deployments", "events", "routes", "evictions" -> new ClusterWide(read ? Role.viewer : Role.admin);
            case "tokens" -> anyToken(method, read, s) ? new Anywhere(Role.viewer) : new Anywhere(Role.admin);
            case "audit" -> new Anywhere(Role.admin);
            case "apply" -> new Anywhere(Role.deployer);
            case "diff" -> new Anywhere(Role.viewer);
            default -> new ClusterWide(Role.admin);
        };
    }

    /**
     * {@code GET /tokens/self}, and {@code DELETE /tokens/{id}}: a token may always revoke itself, so any token
     * may ask, and TokenApi answers 404 for a token it neither is nor manages.
     */
    private static boolean anyToken(String method, boolean read, String[] s) {
        return s.length == 5 && (method.equals("DELETE") ? !s[4].isEmpty() && !s[4].equals("self") : read && s[4].equals("self"));
    }

    /** Why {@code caller} (an API token) may not call {@code method path}; null when it may. */
    static String refusal(Caller caller, String method, String path) {
        Need need = need(method, path);
        return need.satisfiedBy(caller) ? null
                : method + " " + path + " needs " + need.describe() + "; token " + caller.name() + " has "
                        + (caller.grants().isEmpty() ? "no role" : caller.grants().stream().map(Object::toString)
                                .reduce((a, b) -> a + ", " + b).orElse(""));
    }
}
