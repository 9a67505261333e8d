package dev.nanolet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code delete deployment NAME} or {@code delete module DIGEST}. */
@Command(name = "delete", description = "Delete a deployment or a module.")
final class DeleteCommand implements Callable<Integer> {
    enum Kind { deployment, deployments, module, modules }

    @Mixin
    Global global;

    @Parameters(index = "0", paramLabel = "KIND")
    Kind kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        String path = switch (kind) {
            case deployment, deployments -> RolloutCommand.path(global, name);
            case module, modules -> "/api/v1/modules/" + name;
        };
        global.api().json("DELETE", path, null);
        Output.progress("deleted " + kind + " " + name);
        return 0;
    }
}
