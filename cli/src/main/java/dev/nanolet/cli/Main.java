package dev.nanolet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nanolet}: the command-line client for people and pipelines. Exit codes: 0 success,
 * 1 rollout failed (or another failure the server reported, or no answer in time), 2 bad usage or invalid manifest,
 * 3 not authorized, 4 server unreachable. Results on stdout, progress and errors on stderr.
 */
@Command(name = "nanolet", mixinStandardHelpOptions = true, version = "nanolet 0.1.0",
        // --help and --version on every command, a new one included; "nanolet help CMD" as well
        scope = CommandLine.ScopeType.INHERIT,
        description = "Deploy and inspect WebAssembly workloads on a Nanolet platform.",
        subcommands = {LoginCommand.class, PushCommand.class, ApplyCommand.class, GetCommand.class,
            DescribeCommand.class, LogsCommand.class, ScaleCommand.class, RolloutCommand.class, DeleteCommand.class, DiffCommand.class,
            TokensCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with every command and the exit codes above, not yet run. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof CliException failure) {
                        System.err.println("nanolet: " + failure.getMessage());
                        return failure.exitCode();
                    }
                    System.err.println("nanolet: " + e);
                    return CliException.ROLLOUT_FAILED;
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command; nanolet --help lists them");
    }
}
