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
 * @param guestMemoryBytes linear memory all runs on the node may hold together
 * @param guestMemoryShare the part of {@code guestMemoryBytes} that one tenant's runs may hold together, (0–1]
 */
public record RuntimeLimits(long maxStdoutBytes, long maxStderrBytes, int maxTableElements, ModuleLimits module,
        long guestMemoryBytes, double guestMemoryShare) {

    /** Half of the heap for linear memory, half of that for one deployment. */
    public static final double DEFAULT_GUEST_MEMORY_SHARE = 0.5;

    /**
     * 64 MiB of stdout (above the data plane's 32 MB response cap), 1 MiB of stderr, 100,000 table
     * elements, half of the JVM's heap for linear memory and half of that for one deployment.
     */
    public static final RuntimeLimits DEFAULTS = new RuntimeLimits(64L << 20, 1L << 20, 100_000, ModuleLimits.DEFAULTS,
            halfTheHeap(), DEFAULT_GUEST_MEMORY_SHARE);

    public RuntimeLimits {
        if (maxStdoutBytes <= 0 || maxStderrBytes <= 0 || maxTableElements <= 0 || guestMemoryBytes <= 0) {
            throw new IllegalArgumentException("runtime limits must be positive");
        }
        if (!(guestMemoryShare > 0 && guestMemoryShare <= 1)) {
            throw new IllegalArgumentException("the guest memory share must be above 0 and at most 1, not " + guestMemoryShare);
        }
        Objects.requireNonNull(module, "module");
    }

    /** These limits with another budget for linear memory. */
    public RuntimeLimits withGuestMemory(long bytes, double share) {
        return new RuntimeLimits(maxStdoutBytes, maxStderrBytes, maxTableElements, module, bytes, share);
    }

    /** Half of the most heap this JVM will use. */
    public static long halfTheHeap() {
        return Runtime.getRuntime().maxMemory() / 2;
    }
}
