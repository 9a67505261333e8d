package dev.nanolet.cli;

import picocli.CommandLine.Option;

/**
 * Options every command takes. Each falls back to the environment ({@code NANOLET_SERVER},
 * {@code NANOLET_TOKEN}, {@code NANOLET_NAMESPACE}), then to what {@code login} saved.
 */
final class Global {
    @Option(names = "--server", description = "platform-api URL (env NANOLET_SERVER)")
    String server;

    @Option(names = "--token", description = "bearer token (env NANOLET_TOKEN)")
    String token;

    @Option(names = {"-n", "--namespace"}, description = "namespace (env NANOLET_NAMESPACE; default: default)")
    String namespace;

    @Option(names = {"-o", "--output"}, description = "table (default), json or yaml")
    Output.Format output = Output.Format.table;

    private Api api;

    /**
     * The config, its namespace refused (exit 2) unless {@link Api#isName}, before anything is sent: audit sends it in a
     * query, tokens create, apply and diff in a body and login saves it, not only in paths, where it names no namespace.
     * Said with where it comes from: an empty CI variable is the likely one.
     */
    Config config() {
        Config config = Config.load().with(server, token, namespace);
        if (!Api.isName(config.namespace())) {
            throw new CliException(CliException.USAGE, "namespace '" + config.namespace()
                    + "' (-n, else NANOLET_NAMESPACE, else the saved login's) is not a name; nothing was sent");
        }
        return config;
    }

    /** The command's platform-api, the same one each time it is asked: one request id for all the command sends. */
    Api api() {
        if (api == null) {
            api = new Api(config());
        }
        return api;
    }

    String namespace() {
        return config().namespace();
    }

    Output out() {
        return new Output(output);
    }
}
