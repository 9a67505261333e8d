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

    Config config() {
        return Config.load().with(server, token, namespace);
    }

    Api api() {
        return new Api(config());
    }

    String namespace() {
        return config().namespace();
    }

    Output out() {
        return new Output(output);
    }
}
