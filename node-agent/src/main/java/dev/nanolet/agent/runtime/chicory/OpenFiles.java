package dev.nanolet.agent.runtime.chicory;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The host files all runs on the node hold open together, against one cap: half of the node's own
 * limit of open files ({@code RLIMIT_NOFILE}), so that however many runs open files at once, the
 * node keeps the other half for its sockets, its jars and its own files. The cap is shared between
 * deployments as the memory for guests is ({@link TenantShares}): one deployment's runs hold at most
 * half of it, and each open leaves an equal part free for one more deployment, so a deployment opening
 * files flat out leaves room for the others' opens. An open past either is {@code ENFILE} for that run
 * (each run holds at most {@link FdTable#MAX} besides).
 */
final class OpenFiles {

    /** Where the JVM cannot tell its limit (not Unix). */
    private static final int UNKNOWN_LIMIT_HALF = 4096;

    private final TenantShares shares;

    OpenFiles(int capacity) {
        this(capacity, false);
    }

    /** @param alone whether one tenant's runs have it all ({@link TenantShares}) */
    OpenFiles(int capacity, boolean alone) {
        this.shares = new TenantShares(capacity, "open files", alone);
    }

    /** Half of this process's limit of open files, shared between tenants or, {@code alone}, one tenant's. */
    static OpenFiles halfOfTheNodesLimit(boolean alone) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 1) {
            return new OpenFiles((int) Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount() / 2), alone);
        }
        return new OpenFiles(UNKNOWN_LIMIT_HALF, alone);
    }

    /** The files of one run of {@code tenant}'s module. */
    Tenant of(String tenant) {
        return new Tenant(tenant);
    }

    /** Files all runs hold now. */
    int open() {
        return (int) shares.used();
    }

    /** What one run takes from the budget, for its tenant. */
    final class Tenant {
        private final String name;

        private Tenant(String name) {
            this.name = name;
        }

        /** Takes one file from the budget, or fails with {@code ENFILE}; {@link #release()} gives it back. */
        void acquire() throws Errno.Failure {
            if (shares.take(name, 1) != null) {
                throw new Errno.Failure(Errno.NFILE);
            }
        }

        void release() {
            shares.give(name, 1);
        }
    }
}
