package dev.nanolet.agent.runtime;

import dev.nanolet.limits.ModuleLimits;
import java.util.Objects;

/**
 * What the runtime allows every run, whatever the deployment asks for.
 *
 * @param maxStdoutBytes bytes a run may write to stdout; later writes fail with {@code EIO}
 * @param maxStderrBytes bytes a run may write to stderr; the rest is cut with a marker line
 * @param maxTableElements elements a table may grow to; a {@code table.grow} past it answers -1
 * @param module what a module may declare; checked before the engine parses it
 * @param guestMemoryBytes linear memory all runs on the node may hold together (shared between
 *     deployments as {@code runtime.chicory.MemoryBudget} says)
 */
public record RuntimeLimits(long maxStdoutBytes, long maxStderrBytes, int maxTableElements, ModuleLimits module,
        long guestMemoryBytes) {

    /**
     * 64 MiB of stdout (above the data plane's 32 MB response cap), 1 MiB of stderr, 100,000 table
     * elements, half of the JVM's heap for linear memory.
     */
    public static final RuntimeLimits DEFAULTS = new RuntimeLimits(64L << 20, 1L << 20, 100_000, ModuleLimits.DEFAULTS, halfTheHeap());

    public RuntimeLimits {
        if (maxStdoutBytes <= 0 || maxStderrBytes <= 0 || maxTableElements <= 0 || guestMemoryBytes <= 0) {
            throw new IllegalArgumentException("runtime limits must be positive");
        }
        Objects.requireNonNull(module, "module");
    }

    /** These limits with another budget for linear memory. */
    public RuntimeLimits withGuestMemory(long bytes) {
        return new RuntimeLimits(maxStdoutBytes, maxStderrBytes, maxTableElements, module, bytes);
    }

    /** Half of the most heap this JVM will use. */
    public static long halfTheHeap() {
        return Runtime.getRuntime().maxMemory() / 2;
    }
}
