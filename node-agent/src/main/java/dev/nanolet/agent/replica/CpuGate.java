package dev.nanolet.agent.replica;

import dev.nanolet.agent.runtime.Bindings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The node's CPUs, shared fairly between deployments. A guest runs only while its thread holds one
 * of {@code cpus} slots; a slot that falls free goes to the waiting deployment that has had the least
 * slot time so far (its <em>virtual time</em>, as Linux's CFS keeps one per task). So a deployment
 * that sends a few requests is served at once while others hammer the node, and deployments that
 * all want more than their share get equal parts of it, whatever their number of requests in flight.
 *
 * <p>A holder gives its slot back when its run ends, around a call that blocks (a binding, a pause;
 * a thread found waiting or sleeping by {@link #tick} loses its slot too), and at its next interruption
 * check once asked to: when a deployment that has had at least {@code granularity} less is waiting, or
 * when it has held the slot for a {@code slice} while others wait. A deployment that asks for a slot
 * again after none of its runs wanted one (they had returned, blocked or given theirs back) starts at the
 * least virtual time of those competing minus {@code granularity}, as CFS places a task that wakes:
 * credit cannot be saved up by staying away, nor by keeping a run blocked in a binding meanwhile. A
 * run's guest that has returned gives its slot back at once ({@link #guestReturned}): what the host does
 * after it (a binding's commit, the response) waits on the network, not on a CPU. Nothing here runs
 * per instruction: the engine's interruption check reads one volatile field
 * ({@link GuestThread#isInterrupted}).
 */
final class CpuGate {

    private static final Comparator<Share> LEAST_SERVED = Comparator.<Share>comparingLong(s -> s.vruntime).thenComparingLong(s -> s.seq);

    private final long granularity;
    private final long slice;
    private final Map<String, Share> shares = new HashMap<>();
    private final TreeSet<Share> waiting = new TreeSet<>(LEAST_SERVED);
    private final List<GuestThread> holders = new ArrayList<>();
    private int free;
    private long floor;
    private long seq;
    private long ticks;
    /** Every how many ticks a busy node forgets deployments that would start from the floor anyway. */
    private static final int FORGET_EVERY = 1_000;

    /**
     * @param cpus slots: guests that run at once
     * @param granularity how much less a waiting deployment must have had to take a slot from a holder at once
     * @param slice how long a holder keeps its slot while others wait
     */
    CpuGate(int cpus, long granularity, long slice, TimeUnit unit) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus " + cpus);
        }
        this.free = cpus;
        this.granularity = unit.toNanos(granularity);
        this.slice = unit.toNanos(slice);
    }

    /**
     * Takes a slot for {@code t}'s run of {@code deployment}, waiting for it if needed; an interrupt
     * (the run's deadline, a cancellation) ends the wait, and the run goes on without a slot.
     */
    void enter(GuestThread t, String deployment) {
        synchronized (this) {
            Share s = shares.computeIfAbsent(deployment, d -> new Share(d, ++seq));
            s.active++;
            t.share = s;
            queue(t, System.nanoTime());
        }
        awaitSlot(t);
    }

    /** The run has ended: its slot goes to the next. */
    synchronized void exit(GuestThread t) {
        Share s = t.share;
        if (s == null) {
            return;
        }
        long now = System.nanoTime();
        if (t.holding) {
            giveBack(t, now);
        } else if (s.queue.remove(t) && s.queue.isEmpty()) {
            waiting.remove(s);
        }
        t.share = null;
        t.attention = false;
        t.yieldAsked = false;
        t.lostSlot = false;
        if (--s.active == 0 && s.vruntime <= floor - granularity) {
            shares.remove(s.deployment); // it would start from the floor anyway
        }
        grantFree(now);
    }

    /**
     * {@code bindings} giving the calling guest thread's slot back for each call: a binding waits on a
     * database or a pool, not on the CPU. {@link Bindings#NONE} as it is.
     */
    static Bindings offCpu(Bindings bindings) {
        if (bindings == Bindings.NONE) {
            return bindings;
        }
        return new Bindings() {
            @Override
            public Set<String> types() {
                return bindings.types();
            }

            @Override
            public Reply call(Op op, String binding, byte[] first, byte[] second) {
                Optional<GuestThread> gated = GuestThread.gated();
                if (gated.isEmpty()) {
                    return bindings.call(op, binding, first, second);
                }
                try {
                    return gated.get().gate().offCpu(gated.get(), () -> bindings.call(op, binding, first, second));
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e); // Bindings.call throws nothing checked
                }
            }
        };
    }

    /** Runs {@code call}, which may block, without holding a slot. */
    <T> T offCpu(GuestThread t, Callable<T> call) throws Exception {
        boolean held = release(t);
        try {
            return call.call();
        } finally {
            if (held) {
                synchronized (this) {
                    queue(t, System.nanoTime());
                }
                awaitSlot(t);
            }
        }
    }

    /**
     * The calling guest thread's guest has returned: the rest of its run (a binding's commit, the
     * response) holds no slot. A commit is a blocking socket read in which the thread stays
     * {@code RUNNABLE} and makes no interruption check, so {@link #tick} could neither take the slot
     * nor have it given back; a database that stopped answering would hold a CPU slot until TCP gave up.
     */
    static void guestReturned() {
        GuestThread.gated().ifPresent(t -> t.gate().release(t));
    }

    /** Frees {@code t}'s slot, if it holds one, for the next in line; whether it held one. */
    synchronized boolean release(GuestThread t) {
        if (!t.holding) {
            return false;
        }
        long now = System.nanoTime();
        giveBack(t, now);
        grantFree(now);
        return true;
    }

    /**
     * Takes the slot of a run written off past its deadline (the pool has interrupted it and started
     * a thread in its place): a thread stuck where it makes no interruption check must not keep a
     * CPU slot from every other run. If it comes back to guest code it asks for a slot again.
     */
    synchronized void revoke(GuestThread t) {
        if (release(t)) {
            t.lostSlot = true;
            t.attention = true;
        }
    }

    /**
     * The thread's interruption check found {@link GuestThread#attention} set: it gives its slot
     * back if asked to, or takes one again if it lost its own while it blocked.
     */
    void checkpoint(GuestThread t) {
        synchronized (this) {
            t.attention = false;
            if (t.share == null) {
                return;
            }
            long now = System.nanoTime();
            if (t.holding && t.yieldAsked) {
                giveBack(t, now);
            } else if (t.holding || !t.lostSlot) {
                return;
            }
            t.lostSlot = false;
            queue(t, now);
        }
        awaitSlot(t);
    }

    /**
     * Called every few milliseconds: asks holders to yield whose slice is over or who have had more
     * than a waiting deployment by {@code granularity}, and takes the slot of a holder that waits or
     * sleeps (its thread is parked, not running a guest).
     */
    synchronized void tick() {
        long now = System.nanoTime();
        for (GuestThread h : List.copyOf(holders)) {
            Thread.State state = h.getState();
            boolean parked = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
            if (h.waking && (!parked || now - h.heldSince > slice)) {
                h.waking = false; // it has run since its grant (or not within a slice: a thread that blocks again)
            }
            if (parked && !h.waking && now - h.heldSince > granularity) {
                giveBack(h, now);
                h.lostSlot = true;
                h.attention = true;
            } else if (!waiting.isEmpty() && (now - h.heldSince > slice || overserved(h, waiting.first(), now))) {
                askToYield(h);
            }
        }
        grantFree(now);
        if (holders.isEmpty() && waiting.isEmpty()) {
            shares.values().removeIf(s -> s.active == 0); // an idle node: nobody's past matters
        } else if (++ticks % FORGET_EVERY == 0) {
            // a node that is never idle: those the floor has passed would start from it anyway
            shares.values().removeIf(s -> s.active == 0 && s.vruntime <= floor - granularity);
        }
    }

    /** Runs waiting for a slot now. */
    synchronized int waitingRuns() {
        int n = 0;
        for (Share s : waiting) {
            n += s.queue.size();
        }
        return n;
    }

    /** Deployments the gate remembers (active, or served more than the floor); for tests. */
    synchronized int remembered() {
        return shares.size();
    }

    private void queue(GuestThread t, long now) {
        Share s = t.share;
        if (s.queue.isEmpty()) { // not in waiting, so its key may change
            raiseFloor(now);
            s.vruntime = Math.max(s.vruntime, floor - granularity);
        }
        if (free > 0 && waiting.isEmpty()) {
            grant(t, now);
            return;
        }
        s.queue.add(t);
        waiting.add(s); // no-op if queued already: the order depends on the virtual time alone
        GuestThread most = null;
        for (GuestThread h : holders) {
            if (most == null || served(h, now) > served(most, now)) {
                most = h;
            }
        }
        if (most != null && overserved(most, s, now)) {
            askToYield(most);
        }
        grantFree(now);
    }

    /**
     * Parks until the thread holds a slot. A slot granted and taken away again by {@link #tick} before
     * the thread woke is asked for again; an interrupt ends the wait without one.
     */
    private void awaitSlot(GuestThread t) {
        while (!t.holding) {
            LockSupport.park(this);
            synchronized (this) {
                if (t.holding || t.share == null) {
                    return;
                }
                if (t.interruptFlag()) {
                    if (t.share.queue.remove(t) && t.share.queue.isEmpty()) {
                        waiting.remove(t.share);
                    }
                    return;
                }
                if (t.lostSlot) {
                    t.lostSlot = false;
                    t.attention = false;
                    queue(t, System.nanoTime());
                }
            }
        }
    }

    private void grantFree(long now) {
        while (free > 0 && !waiting.isEmpty()) {
            Share s = waiting.pollFirst();
            GuestThread t = s.queue.poll();
            if (!s.queue.isEmpty()) {
                waiting.add(s);
            }
            grant(t, now);
        }
        raiseFloor(now);
    }

    /**
     * Raises the floor to the least virtual time of the deployments competing, each holder charged up
     * to now (as CFS's {@code min_vruntime} counts the running task's time so far): a slot held for long
     * while nobody else wanted one is not credit for whoever comes next.
     */
    private void raiseFloor(long now) {
        long least = waiting.isEmpty() ? Long.MAX_VALUE : waiting.first().vruntime;
        for (GuestThread h : holders) {
            least = Math.min(least, served(h, now));
        }
        if (least != Long.MAX_VALUE) {
            floor = Math.max(floor, least);
        }
    }

    private void grant(GuestThread t, long now) {
        free--;
        holders.add(t);
        t.heldSince = now;
        t.yieldAsked = false;
        t.holding = true;
        t.waking = t != Thread.currentThread();
        if (t.waking) {
            LockSupport.unpark(t);
        }
    }

    /** Charges the slot time to the holder's deployment and frees the slot (the caller grants it on). */
    private void giveBack(GuestThread t, long now) {
        Share s = t.share;
        boolean queued = !s.queue.isEmpty() && waiting.remove(s);
        s.vruntime += now - t.heldSince;
        if (queued) {
            waiting.add(s);
        }
        holders.remove(t);
        t.holding = false;
        t.yieldAsked = false;
        free++;
    }

    private static long served(GuestThread h, long now) {
        return h.share.vruntime + (now - h.heldSince);
    }

    private boolean overserved(GuestThread holder, Share waiter, long now) {
        return holder.share != waiter && served(holder, now) - waiter.vruntime > granularity;
    }

    private static void askToYield(GuestThread h) {
        h.yieldAsked = true;
        h.attention = true;
    }

    /** A deployment's virtual time and its threads waiting for a slot, in order. */
    static final class Share {
        final String deployment;
        final ArrayDeque<GuestThread> queue = new ArrayDeque<>();
        final long seq;
        long vruntime;
        int active;

        Share(String deployment, long seq) {
            this.deployment = deployment;
            this.seq = seq;
        }
    }
}
