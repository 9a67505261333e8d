package dev.nanolet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code scale NAME --replicas N [--dry-run]}. */
@Command(name = "scale", description = "Set a deployment's replica count.")
final class ScaleCommand implements Callable<Integer> {
    @Mixin
    Global global;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--replicas", required = true, description = "the number of replicas the deployment is to run")
    int replicas;

    @Mixin
    DryRunOption dryRun;

    @Override
    public Integer call() {
        JsonNode scaled = global.api().json("PUT", dryRun.path(RolloutCommand.path(global, name) + "/scale"),
                Api.JSON.createObjectNode().put("replicas", replicas));
        dryRun.report(RolloutCommand.deployment(global, name), "scaled to " + replicas + " replica(s)");
        global.out().print(scaled, GetCommand.deploymentColumns());
        return 0;
    }
}
