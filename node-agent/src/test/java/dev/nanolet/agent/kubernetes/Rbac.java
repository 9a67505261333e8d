package dev.nanolet.agent.kubernetes;

import java.util.List;

/**
 * A request to the API server as its authorizer names it: {@code "<group>/<resource>[/<subresource>] <verb>"}, the core
 * group's without a group ({@code "pods/status patch"}, {@code "coordination.k8s.io/leases get"}). A GET of a collection
 * is {@code list}, or {@code watch} with {@code watch=true}; of one object, {@code get}.
 */
final class Rbac {

    private Rbac() {}

    /** {@code request} is {@code "METHOD path[?query] body"}, as {@link MockCluster}'s predicates see it. */
    static String of(String request) {
        String[] parts = request.split(" ", 3);
        String method = parts[0];
        String path = parts[1].replaceFirst("\\?.*", "");
        boolean watch = parts[1].matches(".*[?&]watch=(true|1).*");
        List<String> segments = List.of(path.substring(1).split("/"));
        // /api/v1/... or /apis/<group>/<version>/...
        String group = segments.getFirst().equals("api") ? "" : segments.get(1);
        List<String> rest = segments.subList(segments.getFirst().equals("api") ? 2 : 3, segments.size());
        if (rest.size() > 2 && rest.getFirst().equals("namespaces")) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.getFirst() + (rest.size() > 2 ? "/" + rest.get(2) : "");
        boolean one = rest.size() > 1;
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : one ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> one ? "delete" : "deletecollection";
            default -> method;
        };
        return resource(group, resource) + " " + verb;
    }

    static String resource(String group, String resource) {
        return group.isEmpty() ? resource : group + "/" + resource;
    }
}
