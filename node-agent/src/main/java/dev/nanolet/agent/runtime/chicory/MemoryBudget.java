package dev.nanolet.agent.runtime.chicory;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The linear memory of every run on the node, counted against one budget. A run charges its
 * memory's pages here before the engine allocates them and gives them all back when it ends; a
 * charge that does not fit is refused, so the guests together never take the heap the node itself
 * needs. Between tenants (deployments), two rules keep one from taking what the others need:
 * <ul>
 *   <li>no tenant holds more than its share of the budget, whatever the others do;
 *   <li>with {@code n} tenants holding memory, counting the one asking, an equal part is
 *       {@code capacity / (n + 1)}: a tenant may take more than that only while an equal part stays
 *       free. So a tenant new to the node finds room, however many hold memory already (once the
 *       runs admitted before them end), and a tenant with a large need still gets it on a node
 *       whose memory is mostly free.
 * </ul>
 */
final class MemoryBudget {

    private final long capacity;
    private final long perTenant;
    private final Map<String, Long> held = new HashMap<>();
    private long used;

    /**
     * @param capacity bytes all runs together may hold
     * @param share the part of {@code capacity} (0–1] one tenant's runs together may hold
     */
    MemoryBudget(long capacity, double share) {
        if (capacity <= 0 || !(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a memory budget needs a positive capacity and a share in (0, 1]");
        }
        this.capacity = capacity;
        this.perTenant = (long) (capacity * share);
    }

    /** The account of one run of {@code tenant}'s module. */
    Account open(String tenant) {
        return new Account(tenant);
    }

    /** Bytes all runs hold now. */
    synchronized long used() {
        return used;
    }

    /** Tenants whose runs hold memory now. */
    synchronized int tenants() {
        return held.size();
    }

    /** Null when {@code bytes} were taken for {@code tenant}, else why not. */
    private synchronized String take(String tenant, long bytes) {
        long mine = held.getOrDefault(tenant, 0L);
        if (bytes > capacity - used) {
            return "the runs on the node already hold " + mib(used) + " MiB of its " + mib(capacity) + " MiB for linear memory";
        }
        if (bytes > perTenant - mine) {
            return "this deployment's runs on the node already hold " + mib(mine) + " MiB of linear memory, and one deployment may hold "
                    + mib(perTenant) + " MiB";
        }
        long equalPart = capacity / (held.size() + (mine == 0 ? 1 : 0) + 1);
        if (mine + bytes > equalPart && capacity - used - bytes < equalPart) {
            return "the runs on the node already hold " + mib(used) + " MiB of its " + mib(capacity) + " MiB for linear memory, and the last "
                    + mib(equalPart) + " MiB are kept for deployments that hold less than this one's " + mib(mine) + " MiB";
        }
        used += bytes;
        held.put(tenant, mine + bytes);
        return null;
    }

    private synchronized void give(String tenant, long bytes) {
        used -= bytes;
        held.computeIfPresent(tenant, (t, mine) -> mine == bytes ? null : mine - bytes);
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
            if (bytes > perTenant - taken) {
                refusal = "this run alone would hold more than the " + mib(perTenant) + " MiB of linear memory one deployment may hold on this node";
                lasting = true;
                return false;
            }
            String why = MemoryBudget.this.take(tenant, bytes);
            if (why != null) {
                refusal = why;
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
