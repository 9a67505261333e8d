package dev.nanolet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code delete deployment NAME}, {@code delete secret NAME} (both in the namespace) or {@code delete module DIGEST};
 * {@code --dry-run} for a deployment or a secret (the server has none for a module). The server's refusals keep the
 * exit codes of docs/ci.md: no such object (404) and a secret a deployment still uses (409, naming them) exit 1.
 */
@Command(name = "delete", description = {"Delete a deployment or a secret (in the namespace), or a module.",
        "A secret still used by a deployment is refused (exit 1, naming the deployments)."})
final class DeleteCommand implements Callable<Integer> {
    enum Kind {
        deployment, deployments, module, modules, secret, secrets;

        boolean isModule() {
            return this == module || this == modules;
        }

        String path(Global global, String name) {
            return switch (this) {
                case deployment, deployments -> RolloutCommand.path(global, name);
                case secret, secrets -> Api.path("namespaces", global.namespace(), "secrets", name);
                case module, modules -> Api.path("modules", name);
            };
        }

        /** What progress calls the object: {@code deployment NS/NAME}, {@code secret NS/NAME}, {@code module DIGEST}. */
        String subject(Global global, String name) {
            return switch (this) {
                case deployment, deployments -> RolloutCommand.deployment(global, name);
                case secret, secrets -> "secret " + global.namespace() + "/" + name;
                case module, modules -> "module " + name;
            };
        }
    }

    @Mixin
    Global global;

    @Parameters(index = "0", paramLabel = "KIND", description = "deployment, secret or module")
    Kind kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "the deployment's or secret's name, or the module's digest")
    String name;

    @Mixin
    DryRunOption dryRun;

    @Override
    public Integer call() {
        if (dryRun.dryRun && kind.isModule()) {
            throw new CliException(CliException.USAGE, "--dry-run: the server has no dry run for deleting a module; nothing was sent");
        }
        global.api().json("DELETE", dryRun.path(kind.path(global, name)), null);
        dryRun.report(kind.subject(global, name), "deleted");
        return 0;
    }
}
