package dev.nanolet.cli;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import dev.nanolet.wire.WaitTimeout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code rollout status|history|undo NAME}. */
@Command(name = "rollout", description = "Wait for, list or undo a deployment's rollouts.",
        subcommands = {RolloutCommand.Status.class, RolloutCommand.History.class, RolloutCommand.Undo.class})
final class RolloutCommand {
    private RolloutCommand() {}

    static final String WAIT_UP_TO = "how long to wait: 180s, 3m, 1h or 500ms, at most 1h (default ${DEFAULT-VALUE})";

    /**
     * How long the HTTP call may take when the server waits {@code timeout}: that plus a margin. A timeout the API would
     * refuse, unreadable or above {@link WaitTimeout#MAX}, is bad usage here, in the API's words, before anything is sent.
     */
    static Duration httpTimeout(String timeout) {
        Duration d;
        try {
            d = WaitTimeout.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "--timeout: " + e.getMessage());
        }
        if (d.compareTo(WaitTimeout.MAX) > 0) {
            throw new CliException(CliException.USAGE, "--timeout: must be at most 1h; nothing was sent");
        }
        return d.plusSeconds(30);
    }

    /**
     * How long a write may take to be answered: with {@code wait}, {@link #httpTimeout}, else what any call may take
     * ({@link Api#CALL_TIMEOUT}), since the server answers it at once. {@code timeout} is read all the same, so that one the
     * API would refuse is refused whether or not it is waited for.
     */
    static Duration callTimeout(boolean wait, String timeout) {
        Duration waited = httpTimeout(timeout);
        return wait ? waited : Api.CALL_TIMEOUT;
    }

    /**
     * The deployment's path, namespace and name each one percent-encoded segment: a {@code #} or {@code ?} in
     * either would otherwise end the path there, and a {@code #} would drop the query after it ({@code dryRun=All}:
     * {@code delete deployment 'web#' --dry-run} deleted {@code web}).
     */
    static String path(Global global, String name) {
        return Api.path("namespaces", global.namespace(), "deployments", name);
    }

    /** {@code deployment NAMESPACE/NAME}, as progress names it. */
    static String deployment(Global global, String name) {
        return "deployment " + global.namespace() + "/" + name;
    }

    @Command(name = "status", description = "Wait until the current rollout is complete (exit 0) or failed (exit 1).")
    static final class Status implements Callable<Integer> {
        @Mixin Global global;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--timeout", defaultValue = "120s", description = WAIT_UP_TO) String timeout;

        @Override
        public Integer call() {
            Duration callTimeout = httpTimeout(timeout);
            Output.progress("waiting up to " + timeout + " for " + deployment(global, name));
            JsonNode d = global.api().json("GET", path(global, name) + "/rollout?timeout=" + timeout, null, callTimeout);
            Output.progress(deployment(global, name) + " revision " + d.path("revision").intValue() + " is available"); // no whole number: an unexpected answer (Main)
            global.out().print(d, GetCommand.deploymentColumns());
            return 0;
        }
    }

    @Command(name = "history", description = "List a deployment's revisions, newest first.")
    static final class History implements Callable<Integer> {
        @Mixin Global global;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            var columns = Output.columns();
            columns.put("REVISION", r -> r.path("revision").asString());
            columns.put("GENERATION", r -> r.path("generation").asString());
            columns.put("CURRENT", r -> r.path("current").asBoolean() ? "*" : "");
            columns.put("MODULE", r -> r.path("spec").path("module").asString());
            columns.put("CREATED", r -> r.path("createdAt").asString());
            global.out().print(global.api().list(path(global, name) + "/revisions"), columns);
            return 0;
        }
    }

    @Command(name = "undo", description = "Roll back to the previous revision (or --to-revision); --dry-run answers at once, also with --wait.")
    static final class Undo implements Callable<Integer> {
        @Mixin Global global;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--to-revision", description = "the revision to return to (default: the one before the current)") Integer revision;
        @Option(names = "--wait", description = "answer once the rollback's rollout is complete; exit 1 with the reason if it fails") boolean wait;
        @Option(names = "--timeout", defaultValue = "120s", description = WAIT_UP_TO) String timeout;
        @Mixin DryRunOption dryRun;

        @Override
        public Integer call() {
            Duration callTimeout = callTimeout(wait, timeout);
            Api api = global.api();
            int target = revision != null ? revision : previous(deployment(global, name), api.list(path(global, name) + "/revisions"));
            if (!dryRun.dryRun) {
                Output.progress("rolling " + deployment(global, name) + " back to revision " + target);
            }
            JsonNode d = api.json("POST", dryRun.path(path(global, name) + "/rollback" + (wait ? "?wait=true&timeout=" + timeout : "")),
                    Api.JSON.createObjectNode().put("revision", target), callTimeout);
            dryRun.report(deployment(global, name), "rolled back to revision " + target);
            global.out().print(d, GetCommand.deploymentColumns());
            return 0;
        }

        /**
         * The revision before the current one. None (a deployment at its first revision) is nothing to undo: exit 1, as a
         * write the server refused for the deployment's state, not 2, so that a pipeline tells it from a command it got wrong.
         * A revision that is no whole number (missing, null, a text) is an unexpected answer ({@link Main}), never read as 0.
         */
        private static int previous(String deployment, JsonNode revisions) {
            OptionalInt current = revisions.valueStream().filter(r -> r.path("current").asBoolean()).mapToInt(r -> r.path("revision").intValue())
                    .findFirst();
            return revisions.valueStream().mapToInt(r -> r.path("revision").intValue()).filter(r -> current.isEmpty() || r < current.getAsInt())
                    .max().orElseThrow(() -> new CliException(CliException.ROLLOUT_FAILED, "nothing to undo: " + deployment + (current.isPresent()
                            ? " has no revision before its current one, " + current.getAsInt() : " has no earlier revision to return to")
                            + "; nothing was sent"));
        }
    }
}
