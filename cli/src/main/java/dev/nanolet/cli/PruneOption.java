package dev.nanolet.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code --prune -l app=shop}: delete (apply) or show (diff) the selected deployments the manifest no longer contains. */
final class PruneOption {
    @Option(names = "--prune", description = "also delete deployments in the manifest's namespaces that match -l and that it no longer contains")
    boolean prune;

    @Option(names = {"-l", "--selector"}, paramLabel = "KEY=VALUE[,…]", description = "with --prune: the labels a deployment must have to be pruned")
    String selector;

    /** The query parameters, after {@code separator} ({@code ?} or {@code &}); empty without --prune. */
    String query(String separator) {
        if (!prune) {
            if (selector != null) {
                throw new CliException(CliException.USAGE, "-l/--selector goes with --prune");
            }
            return "";
        }
        if (selector == null || selector.isBlank()) {
            throw new CliException(CliException.USAGE, "--prune needs -l key=value: prune deletes only what it selects");
        }
        return separator + "prune=true&selector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
    }

    /** The applied deployments of an answer; with --prune, each pruned one is said on stderr first. */
    JsonNode report(JsonNode answer, boolean dryRun) {
        if (!prune) {
            return answer;
        }
        for (JsonNode p : answer.path("pruned")) {
            Output.progress(DryRunOption.said(dryRun, "deployment " + p.path("namespace").asString() + "/" + p.path("name").asString(),
                    "pruned"));
        }
        return answer.path("applied");
    }
}
