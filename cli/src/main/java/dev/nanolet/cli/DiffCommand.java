package dev.nanolet.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * What {@code apply -f} would change ({@code POST /api/v1/diff}), writing nothing but the module
 * files it names (pushed as apply does). Exit codes as {@code kubectl diff}: 0 no change, 1 changes
 * (and the other codes of every command for errors).
 */
@Command(name = "diff", description = "Show what apply -f FILE would change; exit 0 when nothing, 1 when something would.")
final class DiffCommand implements Callable<Integer> {
    @Mixin
    Global global;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = ApplyCommand.FILENAME)
    Path file;

    @Mixin
    PruneOption prune;

    @Override
    public Integer call() {
        Api api = global.api();
        List<Manifests.Document> docs = Manifests.read(file, global.namespace());
        JsonNode diff = api.json("POST", "/api/v1/diff" + prune.query("?"), ApplyCommand.body(api, docs));
        if (global.output == Output.Format.table) {
            print(diff, System.out);
        } else {
            global.out().print(diff, Output.columns());
        }
        return diff.path("changed").asBoolean() ? 1 : 0;
    }

    /** One line per document ({@code changed Deployment ns/name (new revision)}), then one per changed field (a Secret's key). */
    static void print(JsonNode diff, PrintStream out) {
        for (JsonNode d : diff.path("documents")) {
            out.println(d.path("action").asString() + " " + d.path("kind").asString() + " " + d.path("namespace").asString() + "/"
                    + d.path("name").asString() + (d.path("action").asString().equals("changed") && d.path("newRevision").asBoolean()
                            ? " (new revision)" : ""));
            for (JsonNode c : d.path("changes")) { // a Secret's: data.KEY added, removed or changed, never a value
                out.println("  " + c.path("field").asString() + ": " + (c.has("change") ? c.path("change").asString()
                        : shown(c.path("from")) + " -> " + shown(c.path("to"))));
            }
        }
    }

    private static String shown(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "(unset)" : value.toString();
    }
}
