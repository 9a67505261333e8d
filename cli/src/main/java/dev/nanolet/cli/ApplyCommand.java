package dev.nanolet.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a manifest: pushes the module files it names, then sends every document in one
 * {@code POST /api/v1/apply}, which applies them all or none (and, with {@code --wait}, answers when
 * every rollout is complete, or with the first failure's reason; {@code --atomic} undoes them all).
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
        ArrayNode documents = Api.JSON.createArrayNode();
        for (Manifests.Document d : docs) {
            ObjectNode doc = documents.addObject().put("apiVersion", Manifests.API_VERSION).put("kind", d.kind());
            doc.putObject("metadata").put("name", d.name()).put("namespace", d.namespace());
            if (d.isSecret()) {
                doc.setAll(d.spec());
            } else {
                doc.set("spec", d.spec());
            }
        }
        JsonNode results;
        if (dryRun) {
            results = api.json("POST", "/api/v1/apply?dryRun=All", documents);
            Output.progress("dry run: " + docs.size() + " document(s) valid and schedulable; nothing written");
        } else {
            Output.progress("applying " + docs.size() + " document(s) of " + file
                    + (wait ? "; waiting up to " + timeout + " for each rollout" : ""));
            String query = wait ? "?wait=true&timeout=" + timeout + (atomic ? "&atomic=true" : "") : "";
            results = api.json("POST", "/api/v1/apply" + query, documents, RolloutCommand.httpTimeout(timeout).multipliedBy(docs.size()));
        }
        global.out().print(results, GetCommand.deploymentColumns());
        return 0;
    }
}
