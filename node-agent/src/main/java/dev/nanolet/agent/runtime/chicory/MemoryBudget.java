package dev.nanolet.agent.runtime.chicory;

import java.util.Locale;

/**
 * The linear memory of every run on the node, counted against one budget. A run charges its
 * memory's pages here before the engine allocates them and gives them all back when it ends; a
 * charge that does not fit is refused, so the guests together never take the heap the node itself
 * needs.
 *
 * <p>Between tenants (deployments) the two rules of {@link TenantShares} keep any of them from taking
 * what the others need: no tenant's runs together hold more than half of the budget, and each charge
 * leaves an equal part free for one more tenant. What runs admitted earlier (when fewer held memory)
 * took stays theirs until they end, within their deadlines.
 */
final class MemoryBudget {

    private final TenantShares shares;
    private final long capacity;

    /** @param capacity bytes all runs together may hold, shared between tenants */
    MemoryBudget(long capacity) {
        this(capacity, false);
    }

    /** @param alone whether one tenant's runs have it all ({@link TenantShares}) */
    MemoryBudget(long capacity, boolean alone) {
        this.shares = new TenantShares(capacity, "memory", alone);
        this.capacity = capacity;
    }

    /** The account of one run of {@code tenant}'s module. */
    Account open(String tenant) {
        return new Account(tenant);
    }

    /** Bytes all runs hold now. */
    long used() {
        return shares.used();
    }

    /** Tenants whose runs hold memory now. */
    int tenants() {
        return shares.tenants();
    }

    /** The most one tenant may hold: half, when it is alone on the node; all, made alone. */
    private long mostForOne() {
        return shares.mostForOne();
    }

    /** What {@link #mostForOne} is, in words. */
    private String ownShare() {
        return (mostForOne() == capacity ? "all" : "half") + " of its " + mib(capacity) + " MiB for guests";
    }

    /** Null when {@code bytes} were taken for {@code tenant}, else why not. */
    private String take(String tenant, long bytes) {
        return switch (shares.take(tenant, bytes)) {
            case null -> null;
            case TenantShares.PastOwnShare h -> "this deployment's runs on the node would hold " + mib(h.mine() + bytes)
                    + " MiB of linear memory, more than " + ownShare();
            case TenantShares.NoPartLeft p -> "the runs of " + p.tenants() + (p.tenants() == 1 ? " deployment" : " deployments")
                    + " on the node would hold " + mib(p.used() + bytes) + " MiB of its " + mib(capacity) + " MiB for linear memory, and "
                    + mib(p.equalPart()) + " MiB stay free for one more";
        };
    }

    private void give(String tenant, long bytes) {
        shares.give(tenant, bytes);
    }

    private static String mib(long bytes) {
        return bytes % (1 << 20) == 0 ? Long.toString(bytes >> 20) : String.format(Locale.ROOT, "%.1f", bytes / (double) (1 << 20));
    }

    /** What one run took; {@link #close} gives it all back. Used by the run's own thread. */
    final class Account implements AutoCloseable {

        private final String tenant;
        private long taken;
        private String refusal;
        private boolean lasting;

        private Account(String tenant) {
            this.tenant = tenant;
        }

        /** Takes {@code bytes} more for this run; false (and {@link #refusal} says why) if they do not fit. */
        synchronized boolean take(long bytes) {
            if (bytes == 0) {
                return true;
            }
            if (bytes > mostForOne() - taken) {
                refusal = mostForOne() == capacity
                        ? "this run would hold more than the " + mib(capacity) + " MiB of linear memory for guests"
                        : "this run alone would hold more than the " + mib(mostForOne()) + " MiB of linear memory one deployment may hold"
                                + " on this node (half of its " + mib(capacity) + " MiB for guests)";
                lasting = true;
                return false;
            }
            String why = MemoryBudget.this.take(tenant, bytes);
            if (why != null) {
                refusal = why;
                lasting = false;
                return false;
            }
            taken += bytes;
            return true;
        }

        /** Why the last refused charge was refused; null if none was. */
        synchronized String refusal() {
            return refusal;
        }

        /**
         * Whether a refusal would come again on an empty node: this run alone asked for more than one
         * deployment may hold, a limit like its own cap; otherwise other runs held the memory, and a
         * later run may find it free.
         */
        synchronized boolean refusalLasts() {
            return lasting;
        }

        @Override
        public synchronized void close() {
            if (taken > 0) {
                give(tenant, taken);
                taken = 0;
            }
        }
    }
}
