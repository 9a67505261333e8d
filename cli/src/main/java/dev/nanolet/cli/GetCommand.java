package dev.nanolet.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code get deployments|nodes|modules|secrets|events [NAME]}. Deployments, secrets and events without a name are the
 * namespace's ({@code -n}, else the configured one); {@code -A} lists deployments or events of every namespace.
 */
@Command(name = "get", description = "List deployments, nodes, modules, secrets (keys only) or events (or get one by name).")
final class GetCommand implements Callable<Integer> {
    enum Kind { deployments, deployment, nodes, node, modules, module, secrets, secret, events }

    @Mixin
    Global global;

    @Parameters(index = "0", paramLabel = "KIND", description = "deployments, nodes, modules, secrets or events")
    Kind kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME",
            description = "one object; for events: the deployment whose events to list")
    String name;

    @Option(names = {"-A", "--all-namespaces"}, description = "deployments or events of every namespace (needs a cluster-wide viewer)")
    boolean all;

    @Override
    public Integer call() {
        Api api = global.api();
        String ns = Api.path("namespaces", global.namespace());
        String one = name == null ? "" : "/" + Api.pathSegment(name);
        switch (kind) {
            case deployments, deployment -> global.out().print(api.get(name == null && all ? "/api/v1/deployments"
                    : ns + "/deployments" + one), deploymentColumns());
            case nodes, node -> global.out().print(api.get("/api/v1/nodes" + one), nodeColumns());
            case modules, module -> global.out().print(api.get("/api/v1/modules" + one), moduleColumns());
            case secrets, secret -> global.out().print(api.get(ns + "/secrets" + one), secretColumns());
            case events -> global.out().print(api.get(name != null ? RolloutCommand.path(global, name) + "/events"
                    : all ? "/api/v1/events" : ns + "/events"), eventColumns());
        }
        return 0;
    }

    static Map<String, Function<JsonNode, String>> deploymentColumns() {
        var c = Output.columns();
        c.put("NAMESPACE", d -> d.path("namespace").asString());
        c.put("NAME", d -> d.path("name").asString());
        c.put("REVISION", d -> d.path("revision").asString());
        c.put("READY", d -> d.path("status").isObject()
                ? d.path("status").path("available").asInt() + "/" + d.path("spec").path("replicas").asInt() : "-");
        c.put("PROGRESSING", d -> condition(d, "Progressing"));
        c.put("MODULE", d -> d.path("spec").path("module").asString());
        return c;
    }

    static String condition(JsonNode d, String type) {
        return d.path("status").path("conditions").valueStream().filter(c -> c.path("type").asString().equals(type))
                .map(c -> c.path("reason").asString()).findFirst().orElse("-");
    }

    static Map<String, Function<JsonNode, String>> nodeColumns() {
        var c = Output.columns();
        c.put("NAME", n -> n.path("name").asString());
        c.put("READY", n -> n.path("ready").asString());
        c.put("ADDRESS", n -> n.path("address").asString());
        c.put("LABELS", n -> n.path("labels").toString());
        return c;
    }

    static Map<String, Function<JsonNode, String>> moduleColumns() {
        var c = Output.columns();
        c.put("DIGEST", m -> m.path("digest").asString());
        c.put("NAME", m -> m.path("name").asString());
        c.put("SIZE", m -> m.path("size").asString());
        c.put("UPLOADED", m -> m.path("uploadedAt").asString());
        return c;
    }

    /** A secret's keys, version and update time: the API never answers values. */
    static Map<String, Function<JsonNode, String>> secretColumns() {
        var c = Output.columns();
        c.put("NAME", s -> s.path("name").asString());
        c.put("KEYS", s -> String.join(",", s.path("keys").valueStream().map(JsonNode::asString).toList()));
        c.put("VERSION", s -> s.path("version").asString());
        c.put("UPDATED", s -> s.path("updatedAt").asString());
        return c;
    }

    static Map<String, Function<JsonNode, String>> eventColumns() {
        var c = Output.columns();
        c.put("TIME", e -> e.path("time").asString());
        c.put("TYPE", e -> e.path("type").asString());
        c.put("REASON", e -> e.path("reason").asString());
        c.put("OBJECT", e -> e.path("object").asString());
        c.put("COUNT", e -> e.path("count").asString());
        c.put("MESSAGE", e -> e.path("message").asString());
        return c;
    }
}
