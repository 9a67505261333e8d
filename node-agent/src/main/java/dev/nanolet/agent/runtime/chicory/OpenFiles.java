package dev.nanolet.agent.runtime.chicory;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host files all runs on the node hold open together, against one cap: half of the node's own
 * limit of open files ({@code RLIMIT_NOFILE}), so that however many runs open files at once, the
 * node keeps the other half for its sockets, its jars and its own files. An open past the cap is
 * {@code ENFILE} for that run. Runs are not shared out fairly: one tenant's runs may take the whole
 * half while it is free (each run at most {@link FdTable#MAX}).
 */
final class OpenFiles {

    /** Where the JVM cannot tell its limit (not Unix). */
    private static final int UNKNOWN_LIMIT_HALF = 4096;

    private final int capacity;
    private final AtomicInteger open = new AtomicInteger();

    OpenFiles(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("an open-file budget needs a positive capacity, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Half of this process's limit of open files. */
    static OpenFiles halfOfTheNodesLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 1) {
            return new OpenFiles((int) Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount() / 2));
        }
        return new OpenFiles(UNKNOWN_LIMIT_HALF);
    }

    /** Takes one file from the budget, or fails with {@code ENFILE}; {@link #release()} gives it back. */
    void acquire() throws Errno.Failure {
        if (open.incrementAndGet() > capacity) {
            open.decrementAndGet();
            throw new Errno.Failure(Errno.NFILE);
        }
    }

    void release() {
        open.decrementAndGet();
    }

    /** Files all runs hold now. */
    int open() {
        return open.get();
    }
}
