package dev.nanolet.agent.kubernetes;

import java.util.List;
import java.util.Locale;

/**
 * A request to the API server as its authorizer names it: {@code "<group>/<resource>[/<subresource>] <verb>"}, the core
 * group's without a group ({@code "pods/status patch"}, {@code "coordination.k8s.io/leases get"}). A GET of a collection
 * is {@code list}, or {@code watch} with {@code watch=true}; of one object, {@code get}. A request for no resource
 * (discovery, {@code /version}) is its path and verb, as a {@code nonResourceURLs} rule names it ({@code "/version get"}).
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
        boolean core = segments.getFirst().equals("api");
        int prefix = core ? 2 : 3;
        if (!core && !segments.getFirst().equals("apis") || segments.size() <= prefix) {
            return path + " " + method.toLowerCase(Locale.ROOT);
        }
        String group = core ? "" : segments.get(1);
        List<String> rest = segments.subList(prefix, segments.size());
        if (rest.size() > 2 && rest.getFirst().equals("namespaces")) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.getFirst() + (rest.size() > 2 ? "/" + rest.get(2) : "");
        boolean one = rest.size() > 1;
        String verb = switch (method) {
            case "GET" -> one ? "get" : watch ? "watch" : "list";
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
