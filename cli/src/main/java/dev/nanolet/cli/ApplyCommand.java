package dev.nanolet.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Applies a manifest: pushes the module files it names, checks every document with the server's
 * dry run (so an invalid or unschedulable document stops the apply before anything is written),
 * then applies the documents in order, each waiting for its rollout when asked. There is no
 * server-side multi-document transaction yet: a document that fails its rollout leaves the ones
 * before it applied.
 */
@Command(name = "apply", description = "Apply a manifest of Deployments (YAML or JSON, several documents).")
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    Global global;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE")
    Path file;

    @Option(names = "--wait", description = "answer once each rollout is complete; exit 1 with the reason if it fails")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "120s", description = "how long to wait per deployment (default ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--atomic", description = "with --wait: roll a failed rollout back")
    boolean atomic;

    @Option(names = "--dry-run", description = "validate and check schedulability only; write nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        if (atomic && !wait) {
            throw new CliException(CliException.USAGE, "--atomic needs --wait");
        }
        Api api = global.api();
        List<Manifests.Document> docs = Manifests.read(file, global.namespace());
        Map<Path, String> pushed = new HashMap<>();
        for (Manifests.Document d : docs) {
            if (d.moduleFile() != null) {
                d.spec().put("module", pushed.computeIfAbsent(d.moduleFile(), f -> PushCommand.push(api, f)));
            }
        }
        ArrayNode results = Api.JSON.createArrayNode();
        for (Manifests.Document d : docs) {
            JsonNode checked = inDocument(d, () -> api.json("PUT", path(d) + "?dryRun=All", d.spec()));
            if (dryRun) {
                results.add(checked);
            }
        }
        if (!dryRun) {
            Duration serverTimeout = RolloutCommand.httpTimeout(timeout);
            for (Manifests.Document d : docs) {
                Output.progress("applying " + d.describe() + (wait ? ", waiting up to " + timeout + " for its rollout" : ""));
                String query = wait ? "?wait=true&timeout=" + timeout + (atomic ? "&atomic=true" : "") : "";
                results.add(inDocument(d, () -> api.json("PUT", path(d) + query, d.spec(), serverTimeout)));
            }
        } else {
            Output.progress("dry run: " + docs.size() + " document(s) valid and schedulable; nothing written");
        }
        global.out().print(results, GetCommand.deploymentColumns());
        return 0;
    }

    private static String path(Manifests.Document d) {
        return "/api/v1/namespaces/" + d.namespace() + "/deployments/" + d.name();
    }

    private static JsonNode inDocument(Manifests.Document d, java.util.function.Supplier<JsonNode> call) {
        try {
            return call.get();
        } catch (CliException e) {
            throw new CliException(e.exitCode(), d.describe() + ": " + e.getMessage());
        }
    }
}
