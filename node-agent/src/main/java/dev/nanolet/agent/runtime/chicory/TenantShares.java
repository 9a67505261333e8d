package dev.nanolet.agent.runtime.chicory;

import java.util.HashMap;
import java.util.Map;

/**
 * One resource of the node that all runs share (linear memory in bytes, open files), counted per tenant
 * (deployment) by two rules that keep any of them from taking what the others need: no tenant's runs together
 * hold more than half of the capacity; and with {@code n} tenants holding some after a take, the take must leave
 * an equal part, {@code capacity / (n + 1)}, free for one more. So a large need is met while the resource is
 * mostly free, and the more tenants hold some, the less each may take beyond an equal part. The rules hold at
 * each take: what was taken earlier (when fewer held some) stays taken until given back; and a refused tenant
 * has no turn reserved, so it finds room as any other once some is given back.
 *
 * <p>A tenant alone on a node gets half by both rules, and that is the reserve for the next one: nothing is ever
 * taken back from a run, so a lone deployment holding the whole (a job, a flood of files or requests) would leave a
 * deployment placed beside it no memory and no file until its runs end. Where no other tenant can come (the one
 * run of {@code node-agent run}) a budget is made {@code alone}: its tenant may take the whole.
 */
final class TenantShares {

    /** Why a take was refused. */
    sealed interface Refusal {}

    /** The tenant's runs, holding {@code mine}, would hold more than {@link #mostForOne}. */
    record PastOwnShare(long mine) implements Refusal {}

    /** With {@code tenants} holding some, {@code used} taken, the take would leave less than {@code equalPart} free. */
    record NoPartLeft(int tenants, long used, long equalPart) implements Refusal {}

    private final long capacity;
    private final boolean alone;
    private final Map<String, Long> held = new HashMap<>();
    private long used;

    /** @param capacity units all runs together may hold, shared between tenants by the two rules */
    TenantShares(long capacity, String what) {
        this(capacity, what, false);
    }

    /**
     * @param capacity units all runs together may hold
     * @param alone whether no other tenant can come, so the rules keep nothing for one: the tenant may take it all
     */
    TenantShares(long capacity, String what, boolean alone) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a budget of " + what + " needs a positive capacity, not " + capacity);
        }
        this.capacity = capacity;
        this.alone = alone;
    }

    long capacity() {
        return capacity;
    }

    /** The most one tenant may hold: half, even when it is alone on the node; all of it, made {@code alone}. */
    long mostForOne() {
        return alone ? capacity : capacity / 2;
    }

    /** Takes {@code units} for {@code tenant}: null if taken, else why not (and nothing is taken). */
    synchronized Refusal take(String tenant, long units) {
        long mine = held.getOrDefault(tenant, 0L);
        if (units > mostForOne() - mine) {
            return new PastOwnShare(mine);
        }
        int tenants = held.size() + (mine == 0 ? 1 : 0);
        long equalPart = alone ? 0 : capacity / (tenants + 1);
        if (units > capacity - equalPart - used) {
            return new NoPartLeft(tenants, used, equalPart);
        }
        used += units;
        held.put(tenant, mine + units);
        return null;
    }

    /** Gives back {@code units} that {@code tenant} took. */
    synchronized void give(String tenant, long units) {
        used -= units;
        held.computeIfPresent(tenant, (t, mine) -> mine == units ? null : mine - units);
    }

    /** Units all runs hold now. */
    synchronized long used() {
        return used;
    }

    /** Tenants whose runs hold some now. */
    synchronized int tenants() {
        return held.size();
    }
}
