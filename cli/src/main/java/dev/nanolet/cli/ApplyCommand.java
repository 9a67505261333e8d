package dev.nanolet.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
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
    static final String FILENAME = "the manifest: YAML or JSON, one or more documents; its file: modules are read relative to it";

    @Mixin
    Global global;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = FILENAME)
    Path file;

    @Option(names = "--wait", description = "answer once each rollout is complete; exit 1 with the reason if it fails")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "120s", description = "per deployment, " + RolloutCommand.WAIT_UP_TO)
    String timeout;

    @Option(names = "--atomic", description = "with --wait: roll a failed rollout back")
    boolean atomic;

    @Mixin
    DryRunOption dryRun;

    @Mixin
    PruneOption prune;

    @Override
    public Integer call() {
        if (atomic && !wait) {
            throw new CliException(CliException.USAGE, "--atomic needs --wait");
        }
        if (atomic && prune.prune) {
            throw new CliException(CliException.USAGE, "--prune does not go with --atomic (atomic cannot bring pruned deployments back)");
        }
        RolloutCommand.httpTimeout(timeout); // (a timeout the API refuses: before any upload, dry run too)
        Api api = global.api();
        List<Manifests.Document> docs = Manifests.read(file, global.namespace());
        ArrayNode documents = body(api, docs);
        SecretReport secrets = SecretReport.before(api, docs);
        JsonNode results;
        Optional<String> secretsDone = Optional.empty();
        if (dryRun.dryRun) {
            results = api.json("POST", dryRun.path("/api/v1/apply" + prune.query("?")), documents);
            Output.progress("dry run: " + docs.size() + " document(s) valid and schedulable; nothing written");
        } else {
            Output.progress("applying " + docs.size() + " document(s) of " + file
                    + (wait ? "; waiting up to " + timeout + " for each rollout" : ""));
            String query = (wait ? "?wait=true&timeout=" + timeout + (atomic ? "&atomic=true" : "") : "")
                    + prune.query(wait ? "&" : "?");
            AtomicReference<Optional<String>> said = new AtomicReference<>(Optional.empty());
            try {
                results = api.call("POST", "/api/v1/apply" + query, documents, callTimeout(wait, timeout, docs.size()),
                        headers -> said.set(headers.firstValue(SecretReport.HEADER))).body();
            } catch (CliException e) {
                secrets.afterFailed(said.get()); // a wait that ended 422, 401 or 503 after the write: its secrets stay written
                throw e;
            }
            secretsDone = said.get();
        }
        secrets.after(api, dryRun.dryRun, secretsDone);
        JsonNode applied = prune.report(results, dryRun.dryRun);
        if (!(applied.isEmpty() && global.output == Output.Format.table)) { // (no table of no deployment: a manifest of Secrets)
            global.out().print(applied, GetCommand.deploymentColumns());
        }
        return 0;
    }

    /**
     * How long the apply may take to be answered: with {@code wait}, {@link RolloutCommand#httpTimeout} for each document
     * (the server waits for each rollout in turn), else what any call may take: it waited that without a wait too.
     */
    static Duration callTimeout(boolean wait, String timeout, int documents) {
        Duration call = RolloutCommand.callTimeout(wait, timeout);
        return wait ? call.multipliedBy(documents) : call;
    }

    /** The documents as the API takes them, after pushing the module files they name (uploads are content-addressed). */
    static ArrayNode body(Api api, List<Manifests.Document> docs) {
        Map<Path, String> pushed = new HashMap<>();
        for (Manifests.Document d : docs) {
            if (d.moduleFile() != null) {
                d.spec().put("module", pushed.computeIfAbsent(d.moduleFile(), f -> PushCommand.push(api, f)));
            }
        }
        ArrayNode documents = Api.JSON.createArrayNode();
        for (Manifests.Document d : docs) {
            ObjectNode doc = documents.addObject().put("apiVersion", Manifests.API_VERSION).put("kind", d.kind());
            ObjectNode metadata = doc.putObject("metadata").put("name", d.name()).put("namespace", d.namespace());
            if (d.labels() != null) {
                metadata.set("labels", d.labels());
            }
            if (d.resourceVersion() != null) {
                metadata.set("resourceVersion", d.resourceVersion());
            }
            if (d.isSecret()) {
                doc.setAll(d.spec());
            } else {
                doc.set("spec", d.spec());
            }
        }
        return documents;
    }
}
