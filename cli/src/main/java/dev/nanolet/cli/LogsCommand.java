package dev.nanolet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code logs NAME [-f] [--tail N]}: the replicas' lines, merged, as {@code <replica> <line>}. */
@Command(name = "logs", description = "Print a deployment's log lines; -f follows.")
final class LogsCommand implements Callable<Integer> {
    @Mixin
    Global global;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = {"-f", "--follow"}, description = "after the last lines, keep printing new ones until interrupted")
    boolean follow;

    @Option(names = "--tail", defaultValue = "100", description = "how many of the latest lines to print first (default ${DEFAULT-VALUE})")
    int tail;

    @Override
    public Integer call() {
        global.api().events(RolloutCommand.path(global, name) + "/logs?tail=" + tail
                + "&follow=" + follow, data -> {
                    JsonNode line = line(data);
                    System.out.println(global.output == Output.Format.table
                            ? shortId(line.path("replica").asString()) + " " + line.path("line").asString()
                            : Output.line(line)); // escaped: the server's JSON may hold a bidi mark raw, which the Terminal makes a space
                });
        return 0;
    }

    /**
     * A {@code data:} line's JSON; one that is not JSON (a server that is not platform-api) exits 1 saying so, where it
     * printed the parser's exception.
     */
    private JsonNode line(String data) {
        try {
            return Api.JSON.readTree(data);
        } catch (JacksonException e) {
            throw new CliException(CliException.ROLLOUT_FAILED, "a line of " + RolloutCommand.deployment(global, name)
                    + "'s log stream is not JSON: is " + global.config().server() + " platform-api's URL?");
        }
    }

    /** A replica's id cut to 8 characters, as the table shows it; a shorter one whole (it threw StringIndexOutOfBoundsException). */
    static String shortId(String replica) {
        return replica.length() > 8 ? replica.substring(0, 8) : replica;
    }
}
