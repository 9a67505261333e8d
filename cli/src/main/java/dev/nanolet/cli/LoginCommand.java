package dev.nanolet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Checks the server and token, then saves them (and the namespace) for later commands. */
@Command(name = "login", description = "Check --server and --token and save them in ~/.nanolet/config.json ($NANOLET_CONFIG).")
final class LoginCommand implements Callable<Integer> {
    @Mixin
    Global global;

    @Override
    public Integer call() {
        Config config = global.config();
        new Api(config).get("/api/v1/modules");
        config.save();
        Output.progress("logged in to " + config.server() + " (namespace " + config.namespace() + "); saved in " + Config.file());
        return 0;
    }
}
