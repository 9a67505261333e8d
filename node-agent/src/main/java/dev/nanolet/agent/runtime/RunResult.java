package dev.nanolet.agent.runtime;

/**
 * How one run ended.
 *
 * @param exitCode the guest's exit code when {@code outcome} is {@link Outcome#EXITED}, else -1
 * @param message a human-readable reason for anything but a clean exit (the trap, the limit)
 */
public record RunResult(Outcome outcome, int exitCode, String message) {

    /** Why a run ended. */
    public enum Outcome {
        /** {@code _start} returned or the guest called {@code proc_exit}. */
        EXITED,
        /** The guest trapped (unreachable, out of bounds, stack exhausted, …). */
        TRAP,
        /** The wall-clock limit was reached and the run interrupted. */
        TIMEOUT,
        /** The guest needed more linear memory than its limit, at start or by growing. */
        MEMORY_LIMIT,
        /**
         * The node's memory for guests had no room for the run's linear memory, at start or as it
         * grew: other runs hold it, and a later run may succeed.
         */
        NODE_MEMORY
    }

    public static RunResult exited(int code) {
        return new RunResult(Outcome.EXITED, code, code == 0 ? null : "exit code " + code);
    }

    public boolean succeeded() {
        return outcome == Outcome.EXITED && exitCode == 0;
    }
}
