package dev.nanolet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scale NAME --replicas N}. */
@Command(name = "scale", description = "Set a deployment's replica count.")
final class ScaleCommand implements Callable<Integer> {
    @Mixin
    Global global;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--replicas", required = true)
    int replicas;

    @Override
    public Integer call() {
        global.out().print(global.api().json("PUT", RolloutCommand.path(global, name) + "/scale",
                Api.JSON.createObjectNode().put("replicas", replicas)), GetCommand.deploymentColumns());
        return 0;
    }
}
