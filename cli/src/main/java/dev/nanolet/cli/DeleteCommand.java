package dev.nanolet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code delete deployment NAME} or {@code delete module DIGEST}; {@code --dry-run} for a deployment only (the server has none for a module). */
@Command(name = "delete", description = "Delete a deployment or a module.")
final class DeleteCommand implements Callable<Integer> {
    enum Kind {
        deployment, deployments, module, modules;

        boolean isDeployment() {
            return this == deployment || this == deployments;
        }
    }

    @Mixin
    Global global;

    @Parameters(index = "0", paramLabel = "KIND")
    Kind kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Mixin
    DryRunOption dryRun;

    @Override
    public Integer call() {
        if (dryRun.dryRun && !kind.isDeployment()) {
            throw new CliException(CliException.USAGE, "--dry-run: the server has no dry run for deleting a module; nothing was sent");
        }
        String path = kind.isDeployment() ? RolloutCommand.path(global, name) : Api.path("modules", name);
        global.api().json("DELETE", dryRun.path(path), null);
        dryRun.report(kind.isDeployment() ? RolloutCommand.deployment(global, name) : "module " + name, "deleted");
        return 0;
    }
}
