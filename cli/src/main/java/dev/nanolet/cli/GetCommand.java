package dev.nanolet.cli;

import dev.nanolet.wire.Event;
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
 * namespace's ({@code -n}, else the configured one); {@code -A} lists deployments or events of every namespace (not with a
 * name, nor for secrets: it was ignored there, and answered one namespace's as if they were every namespace's).
 * Events take {@code --type Normal|Warning} (not with a name) and {@code --limit N}, as the API does.
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

    @Option(names = {"-A", "--all-namespaces"}, description = "deployments or events of every namespace, not one by NAME (needs a cluster-wide viewer)")
    boolean all;

    /** An event's type, as platform-api's {@code ?type=} takes it (case-sensitive). */
    enum EventType { Normal, Warning }

    /** The largest {@code ?limit=} the events endpoints take: the API's own bound, read from wire as platform-api reads it. */
    static final int MAX_EVENTS = Event.MAX_LIMIT;

    @Option(names = "--type", paramLabel = "Normal|Warning", description = "events: only this type's (not with NAME: one deployment's events have no type filter)")
    EventType type;

    @Option(names = "--limit", paramLabel = "N", description = "events: at most N, newest first, 1-" + MAX_EVENTS + " (the server's default: 100)")
    Integer limit;

    @Override
    public Integer call() {
        checkOptions();
        Api api = global.api();
        String ns = Api.path("namespaces", global.namespace());
        String one = name == null ? "" : "/" + Api.pathSegment(name);
        switch (kind) {
            case deployments, deployment -> global.out().print(read(api, name == null && all ? "/api/v1/deployments"
                    : ns + "/deployments" + one, "name"), deploymentColumns());
            case nodes, node -> global.out().print(read(api, "/api/v1/nodes" + one, "name"), nodeColumns());
            case modules, module -> global.out().print(read(api, "/api/v1/modules" + one, "digest"), moduleColumns());
            case secrets, secret -> global.out().print(read(api, ns + "/secrets" + one, "name"), secretColumns());
            case events -> global.out().print(api.list(eventsPath(ns)), eventColumns());
        }
        return 0;
    }

    /** A list without a NAME, else the one object, which names itself in {@code field}: any other shape is an unexpected answer. */
    private JsonNode read(Api api, String path, String field) {
        return name == null ? api.list(path) : api.one(path, field);
    }

    /**
     * The options that do not go together or with this kind, each refused (exit 2) before anything is sent: {@code -A} was
     * ignored beside a name or for secrets, and one deployment's events endpoint reads no {@code type} and would answer
     * every type's.
     */
    private void checkOptions() {
        if (kind != Kind.events && (type != null || limit != null)) {
            throw new CliException(CliException.USAGE, "--type and --limit go with get events");
        }
        if (all && (name != null || kind == Kind.secrets || kind == Kind.secret)) {
            throw new CliException(CliException.USAGE, "-A lists every namespace's deployments or events, not "
                    + (name != null ? "one by name: -n NAMESPACE names its namespace" : "secrets: -n NAMESPACE names theirs") + "; nothing was sent");
        }
        if (limit != null && (limit < 1 || limit > MAX_EVENTS)) {
            throw new CliException(CliException.USAGE, "--limit: must be between 1 and " + MAX_EVENTS + "; nothing was sent");
        }
        if (type != null && name != null) {
            throw new CliException(CliException.USAGE, "--type: one deployment's events cannot be filtered by type; "
                    + "get events --type " + type + " lists the namespace's; nothing was sent");
        }
    }

    /** The events' path with {@code type} and {@code limit} as given ({@link #checkOptions checked}). */
    private String eventsPath(String ns) {
        StringBuilder q = new StringBuilder(name != null ? RolloutCommand.path(global, name) + "/events" : all ? "/api/v1/events" : ns + "/events");
        char separator = '?';
        if (type != null) {
            q.append(separator).append("type=").append(type);
            separator = '&';
        }
        if (limit != null) {
            q.append(separator).append("limit=").append(limit);
        }
        return q.toString();
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
