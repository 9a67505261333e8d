package dev.nanolet.agent.replica;

import dev.nanolet.agent.runtime.RunResult;

/** The reasons this node puts on non-Running phases and on events. */
final class Reasons {

    static final String PULLING = "Pulling";
    static final String PULLED = "Pulled";
    static final String STARTED = "Started";
    static final String KILLING = "Killing";
    static final String STARTING = "Starting";
    static final String COMPLETED = "Completed";
    static final String MODULE_FETCH_FAILED = "ModuleFetchFailed";
    static final String INVALID_MODULE = "InvalidModule";
    /** The module's host API imports, the deployment's bindings and the secret values sent do not fit. */
    static final String INVALID_BINDING = "InvalidBinding";
    static final String COMPILER_WARNING = "CompilerWarning";
    static final String BACK_OFF = "BackOff";
    static final String STOPPED = "Stopped";
    static final String NODE_SHUTDOWN = "NodeShutdown";
    static final String VOLUME_FAILED = "VolumeFailed";
    static final String VOLUME_LIMIT_EXCEEDED = "VolumeLimitExceeded";
    /** Other runs hold the node's memory for guests: a request got 503, a job waits to start. */
    static final String NODE_MEMORY = "NodeMemory";

    private Reasons() {}

    /** The reason for a run that did not end with exit code 0. */
    static String of(RunResult r) {
        return switch (r.outcome()) {
            case EXITED -> "ExitCode";
            case TRAP -> "Trap";
            case TIMEOUT -> "Timeout";
            case MEMORY_LIMIT -> "MemoryLimit";
            case NODE_MEMORY -> NODE_MEMORY;
        };
    }

    static String describe(RunResult r) {
        return r.outcome() == RunResult.Outcome.EXITED
                ? "exit code " + r.exitCode()
                : r.message() == null ? r.outcome().toString() : r.message();
    }
}
