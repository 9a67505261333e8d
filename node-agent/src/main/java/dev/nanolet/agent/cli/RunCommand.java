package dev.nanolet.agent.cli;

import dev.nanolet.wire.ModuleDigest;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.InvalidModuleException;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.WasmRuntime;
import dev.nanolet.agent.runtime.chicory.ChicoryRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * {@code node-agent run}: runs one module the way a job runs, with this process's stdin, stdout
 * and stderr, and no Spring context. Returns the process exit code: the guest's own, or one of
 * the codes below (the sysexits and shell conventions), with a one-line reason on stderr.
 */
public final class RunCommand {

    static final int USAGE = 64;
    static final int INVALID_MODULE = 65;
    static final int UNREADABLE = 66;
    static final int TIMEOUT = 124;
    static final int TRAP = 134;
    static final int MEMORY_LIMIT = 137;


    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;

    public RunCommand(InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** In words: the JDK's text was "java.nio.file.NoSuchFileException: job.wasm", a class name and the path again. */
    private static String why(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage());
    }

    /** Runs {@code arguments} (everything after {@code run}) and returns the exit code. */
    public int execute(List<String> arguments) {
        RunOptions options;
        try {
            options = RunOptions.parse(arguments);
        } catch (RunOptions.UsageException e) {
            return fail(USAGE, e.getMessage() + "\n" + RunOptions.USAGE);
        }
        // a host directory that is not there was a mount the guest could not open ("cannot open /data/x", exit 1)
        for (Invocation.Directory d : options.directories()) {
            if (!Files.isDirectory(d.hostPath())) {
                return fail(UNREADABLE, "--dir " + d.hostPath() + "::" + d.guestPath() + ": " + d.hostPath()
                        + " is not a directory");
            }
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(options.module());
        } catch (IOException e) {
            return fail(UNREADABLE, "cannot read " + options.module() + ": " + why(options.module(), e));
        }
        var timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        try {
            WasmRuntime runtime = ChicoryRuntime.forOneTenant(dataDirectory(), timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS);
            CompiledModule module;
            String digest = ModuleDigest.of(bytes);
            try {
                module = runtime.compile(digest, bytes);
            } catch (InvalidModuleException e) {
                // the runtime names a module by its digest; here the user named a file (as it is: no regex replacement)
                String reason = String.valueOf(e.getMessage());
                return fail(INVALID_MODULE, reason.startsWith(digest) ? options.module() + reason.substring(digest.length()) : reason);
            }
            module.warnings().forEach(warning -> stderr.println("nanolet: warning: " + warning));
            RunResult result = module.run(new Invocation(options.args(), options.env(), stdin, stdout, stderr,
                    options.memoryMiB(), options.timeout(), options.directories()));
            return exitCode(result);
        } finally {
            timer.shutdownNow();
        }
    }

    private int exitCode(RunResult result) {
        return switch (result.outcome()) {
            case EXITED -> result.exitCode();
            case TIMEOUT -> fail(TIMEOUT, "timeout: " + result.message());
            case TRAP -> fail(TRAP, "trap: " + result.message());
            case MEMORY_LIMIT -> fail(MEMORY_LIMIT, "memory limit: " + result.message());
            case NODE_MEMORY -> fail(MEMORY_LIMIT, "no memory for guests: " + result.message()); // one run alone: MEMORY_LIMIT first
        };
    }

    private int fail(int code, String message) {
        stderr.println("nanolet: " + message);
        return code;
    }

    /** {@code $NANOLET_NODE_DATA_DIR} when set (a node's own directory), else {@code ~/.nanolet/run}. */
    private static Path dataDirectory() {
        String configured = System.getenv("NANOLET_NODE_DATA_DIR");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".nanolet", "run");
    }

}
