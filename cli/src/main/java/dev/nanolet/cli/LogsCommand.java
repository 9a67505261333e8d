package dev.nanolet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code logs NAME [-f] [--tail N]}: the replicas' lines, merged, as {@code <replica> <line>}. */
@Command(name = "logs", description = "Print a deployment's log lines; -f follows.")
final class LogsCommand implements Callable<Integer> {
    @Mixin
    Global global;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = {"-f", "--follow"})
    boolean follow;

    @Option(names = "--tail", defaultValue = "100")
    int tail;

    @Override
    public Integer call() {
        global.api().events(RolloutCommand.path(global, name) + "/logs?tail=" + tail
                + "&follow=" + follow, data -> {
                    JsonNode line = Api.JSON.readTree(data);
                    if (global.output == Output.Format.table) {
                        System.out.println(line.path("replica").asString().substring(0, 8) + " " + line.path("line").asString());
                    } else {
                        System.out.println(data);
                    }
                });
        return 0;
    }
}
