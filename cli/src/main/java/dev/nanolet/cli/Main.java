package dev.nanolet.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import tools.jackson.core.JacksonException;

/**
 * {@code nanolet}: the command-line client for people and pipelines. Exit codes: 0 success,
 * 1 rollout failed (or another failure the server reported, or no answer in time), 2 bad usage or invalid manifest,
 * 3 not authorized, 4 server unreachable, 141 stdout's reader has gone (as SIGPIPE ends git there: nothing said). Results on
 * stdout, progress and errors on stderr.
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
        System.setOut(Stdout.system());
        System.exit(run(args));
    }

    /**
     * Runs {@code args} with stdout and stderr going through a {@link Terminal}, whatever command writes to them. picocli's
     * own text (usage, version, a usage error) holds no server's and goes as it writes it: the Terminal made its colours'
     * ESC spaces on a terminal.
     */
    static int run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(Terminal.of(out));
        System.setErr(Terminal.of(err));
        try {
            return commandLine().setOut(writer(out)).setErr(writer(err)).execute(args);
        } finally {
            System.out.close(); // a Terminal's: what it held is written, out and err stay open
            System.err.close();
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static PrintWriter writer(PrintStream to) {
        return new PrintWriter(new OutputStreamWriter(to, to.charset()), true);
    }

    /** The command line with every command and the exit codes above, not yet run. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionStrategy(Main::readerGoneAsExit141)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof Stdout.ReaderGone) {
                        return CliException.READER_GONE;
                    }
                    CliException failure = e instanceof JacksonException wrongShape ? unexpected(cmd, wrongShape)
                            : e instanceof CliException c ? c : null;
                    if (failure != null) {
                        System.err.println("nanolet: " + failure.getMessage());
                        return failure.exitCode();
                    }
                    System.err.println("nanolet: " + e);
                    return CliException.ROLLOUT_FAILED;
                });
    }

    /**
     * picocli's run of {@code parsed}, where its own text (usage, version) that finds stdout's reader gone is exit 141, said
     * by no one: picocli said the exception and exited 1. A command's ends in the exception handler, picocli having wrapped it.
     */
    private static int readerGoneAsExit141(CommandLine.ParseResult parsed) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (Stdout.ReaderGone e) {
            return CliException.READER_GONE;
        }
    }

    /**
     * An answer whose JSON has not the shape a command reads (a number where an object is, a text where a number is,
     * {@code []} for a token): Jackson's exception reached the user with its class and Java type names. Files the CLI reads
     * (the config, manifests) catch their own, so one here comes from the server: said as its answer, bounded, exit 1 as
     * an answer that is not JSON.
     */
    private static CliException unexpected(CommandLine cmd, JacksonException e) {
        String server;
        try {
            server = cmd.getCommandSpec().mixins().get("global").userObject() instanceof Global global ? global.config().server() : null;
        } catch (RuntimeException unread) {
            server = null;
        }
        return new CliException(CliException.ROLLOUT_FAILED, "unexpected answer from " + (server == null ? "the server" : server) + ": "
                + Excerpt.line(String.valueOf(e.getOriginalMessage()).replaceAll("`(\\w+\\.)+", "`")));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command; nanolet --help lists them");
    }
}
