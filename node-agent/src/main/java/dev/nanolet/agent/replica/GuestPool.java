package dev.nanolet.agent.replica;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The bounded pool of platform threads that run guests, HTTP requests and jobs alike; never a
 * Netty event loop. A full pool refuses work with {@link GuestPoolFullException} instead of queueing
 * without bound.
 *
 * <p>Its capacity is a node-wide resource shared by every deployment, so a run can never keep a
 * thread from the others for longer than its deadline plus {@code overrunGrace}: a watchdog
 * interrupts a run that overstays and <em>writes its thread off</em>, adding a fresh thread in its
 * place. The written-off thread leaves the pool as soon as its run returns, so the pool never
 * shrinks and never stays larger than {@code threads} plus the runs still overstaying.
 *
 * <p>Its CPU is shared too. As an operating system's scheduler favours interactive tasks over
 * CPU-bound ones, a run that has used more than {@link Background#after} of CPU time is
 * <em>demoted</em> to the background: while other runs are active on the node (or were within
 * {@link #CONTENDED_FOR}), every run in the background together gets {@link Background#cpu} of one
 * CPU, and each pauses ({@link GuestThread#pauseUntil}) after a burst for as long as its share
 * requires; on an otherwise idle node it runs freely. A pause is cooperative (the thread parks at
 * its next interruption check) and never lowers the thread's priority: a thread the operating system
 * starves of CPU (nice 19, {@code SCHED_IDLE}, as this pool did before) delays every safepoint of the
 * JVM by as long as it waits for a CPU (measured: up to 290 ms), and with it every request of the node.
 * While a demoted run lasts a fresh thread takes its place, up to {@link Background#maxThreads} such
 * replacements on the node at once (past that a demoted run keeps its place in the pool).
 *
 * <p>The pool manages its threads itself rather than through a {@code ThreadPoolExecutor}: the
 * thread that leaves is always the one written off or replaced while demoted, never any idle one.
 */
public final class GuestPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GuestPool.class);
    /** How long after the last run of normal priority the runs in the background are still held to their share. */
    static final Duration CONTENDED_FOR = Duration.ofMillis(100);

    private final BlockingQueue<Runnable> queue;
    private final Set<GuestThread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger names = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private volatile boolean closed;
    private final Duration overrunGrace;
    private final Background background;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    private final boolean cpuTime = cpu.isCurrentThreadCpuTimeSupported() && cpu.isThreadCpuTimeEnabled();
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger writtenOff = new AtomicInteger();
    private final AtomicInteger demoted = new AtomicInteger();
    private int backgroundReplacements;
    private volatile long lastForeground = System.nanoTime();
    private final ScheduledFuture<?> watchdog;
    private final CpuGate gate;
    /** How much less CPU a waiting deployment must have had to take a slot from a running one at once. */
    static final Duration GATE_GRANULARITY = Duration.ofMillis(1);
    /** How long a run keeps its CPU slot while others wait. */
    static final Duration GATE_SLICE = Duration.ofMillis(5);

    /**
     * A pool that never demotes a run.
     *
     * @param watchdogTimer checks for overstaying runs every {@code overrunGrace / 4}
     */
    public GuestPool(int threads, int queue, Duration overrunGrace, ScheduledExecutorService watchdogTimer) {
        this(threads, queue, overrunGrace, Background.OFF, 0, watchdogTimer);
    }

    /**
     * @param cpus guests that run at once, shared fairly between deployments ({@link CpuGate}); 0: no gate
     * @param watchdogTimer checks for overstaying runs every {@code overrunGrace / 4}, and for runs to
     *     demote or pause and CPU slots to hand on every {@code background.after / 4} (at least every 5 ms)
     */
    GuestPool(int threads, int queue, Duration overrunGrace, Background background, int cpus, ScheduledExecutorService watchdogTimer) {
        this.overrunGrace = overrunGrace;
        this.background = background;
        this.gate = cpus == 0 ? null : new CpuGate(cpus, GATE_GRANULARITY.toNanos(), GATE_SLICE.toNanos(), TimeUnit.NANOSECONDS);
        this.queue = new ArrayBlockingQueue<>(queue);
        this.timer = watchdogTimer;
        for (int i = 0; i < threads; i++) {
            start();
        }
        long period = Math.max(10, overrunGrace.toMillis() / 4);
        if (background.enabled()) {
            period = Math.min(period, Math.max(5, background.after().toMillis() / 4));
        }
        if (gate != null) {
            period = Math.min(period, GATE_SLICE.toMillis());
        }
        watchdog = watchdogTimer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code work} on a guest thread; cancelling the Mono interrupts the thread.
     *
     * @param deployment whose run it is: the CPU is shared fairly between deployments
     * @param deadline how long the work may take; past it and the grace the thread is written off
     */
    public <T> Mono<T> call(String deployment, Duration deadline, Callable<T> work) {
        return Mono.create(sink -> {
            Future<?> future;
            try {
                future = submit(deployment, deadline, () -> {
                    try {
                        sink.success(work.call());
                    } catch (Throwable t) {
                        sink.error(t);
                    }
                });
            } catch (GuestPoolFullException e) {
                sink.error(e);
                return;
            }
            sink.onCancel(() -> future.cancel(true));
        });
    }

    /** Runs {@code deployment}'s {@code work} on a guest thread within {@code deadline}; the future interrupts it when cancelled. */
    public Future<?> submit(String deployment, Duration deadline, Runnable work) {
        FutureTask<Void> task = new FutureTask<>(watched(deployment, deadline, work), null);
        if (closed || !queue.offer(task)) {
            throw new GuestPoolFullException();
        }
        return task;
    }

    /** How many threads were written off since the start; the pool replaced each. */
    public int writtenOff() {
        return writtenOff.get();
    }

    /** How many runs were demoted to the background since the start. */
    public int demoted() {
        return demoted.get();
    }

    /** Runs waiting for a CPU slot now (0 without a gate). */
    public int waitingForCpu() {
        return gate == null ? 0 : gate.waitingRuns();
    }

    /** Threads the pool may run at once right now: its size plus one per run still overstaying or demoted and replaced. */
    public int capacity() {
        return threads.size();
    }

    /** Starts a guest thread. */
    private void start() {
        if (closed) {
            return;
        }
        GuestThread t = new GuestThread(this::work, "nanolet-guest-" + names.incrementAndGet(), gate);
        threads.add(t);
        t.start();
    }

    /** A guest thread's life: runs after runs, until the pool closes or the thread was written off or demoted. */
    private void work() {
        GuestThread self = (GuestThread) Thread.currentThread();
        try {
            while (!closed && !self.retiring()) {
                Runnable task;
                try {
                    task = queue.take();
                } catch (InterruptedException e) {
                    continue; // closing, or a late cancellation: the loop decides
                }
                Thread.interrupted(); // a cancellation meant for the previous run
                task.run();
            }
        } finally {
            threads.remove(self);
        }
    }

    private Runnable watched(String deployment, Duration deadline, Runnable work) {
        return () -> {
            long now = System.nanoTime();
            lastForeground = now;
            GuestThread thread = (GuestThread) Thread.currentThread();
            Run run = new Run(thread, now, cpuTime ? cpu.getCurrentThreadCpuTime() : now, now + deadline.plus(overrunGrace).toNanos());
            running.add(run);
            try {
                if (gate != null) {
                    gate.enter(thread, deployment);
                }
                work.run();
            } finally {
                if (gate != null) {
                    gate.exit(thread);
                }
                running.remove(run);
                returned(run);
            }
        };
    }

    /**
     * The run has returned: from now on the watchdog leaves it alone, and if a thread was added in
     * its place that one stays and the pool shrinks back. Under the pool's lock, like {@link #writeOff},
     * {@link #demote} and {@link #pause}, so a run found overdue or past its share just as it returns is
     * either handled before (and shrinks the pool here) or not at all: never a thread added for good,
     * never an interrupt or a pause for the thread's next run.
     */
    private synchronized void returned(Run run) {
        run.returned = true;
        if (run.replaced) {
            run.thread.retire();
        }
        if (run.backgroundReplacement) {
            backgroundReplacements--;
        }
        run.thread.endPause();
    }

    private void tick() {
        if (gate != null) {
            gate.tick();
        }
        long now = System.nanoTime();
        long quantum = background.after().toNanos();
        int demotedRuns = 0;
        boolean foreground = !queue.isEmpty();
        for (Run run : running) {
            if (run.demoted) {
                demotedRuns++;
            } else {
                foreground = true;
            }
        }
        if (foreground) {
            lastForeground = now;
        }
        boolean contended = now - lastForeground < CONTENDED_FOR.toNanos();
        for (Run run : running) {
            if (now - run.overdueAt > 0) {
                if (writeOff(run)) {
                    if (gate != null) {
                        gate.revoke(run.thread);
                    }
                    log.warn("guest thread {} overstayed its deadline by more than {} ms: written off and replaced",
                            run.thread.getName(), overrunGrace.toMillis());
                }
            } else if (!background.enabled()) {
                continue;
            } else if (!run.demoted && now - run.started > quantum && cpuUsed(run) - run.cpuAtStart > quantum) {
                demote(run, now);
            } else if (run.demoted && contended && !run.thread.pausing()) {
                pause(run, now, Math.max(1, demotedRuns));
            }
        }
    }

    /** CPU time of the run's thread so far (wall time where the JVM cannot tell). */
    private long cpuUsed(Run run) {
        long used = cpuTime ? cpu.getThreadCpuTime(run.thread.threadId()) : System.nanoTime();
        return used < 0 ? 0 : used;
    }

    /**
     * Pauses a run in the background for as long as it takes its CPU since its last pause (or demotion)
     * back to its share: {@code cpu / demotedRuns} of one CPU.
     */
    private synchronized void pause(Run run, long now, int demotedRuns) {
        if (run.returned) {
            return;
        }
        long cpuNow = cpuUsed(run);
        long used = cpuNow - run.cpuMark;
        long pause = (long) (used * demotedRuns / background.cpu()) - (now - run.wallMark);
        run.cpuMark = cpuNow;
        run.wallMark = now;
        if (pause > 0) {
            run.wallMark = now + pause;
            run.thread.pauseUntil(now + pause);
        }
    }

    /** Adds a thread in the run's place, unless one was added already, and interrupts the run, unless it returned. */
    private synchronized boolean writeOff(Run run) {
        if (run.returned || run.overdue) {
            return false;
        }
        run.overdue = true;
        writtenOff.incrementAndGet();
        if (!run.replaced) {
            run.replaced = true;
            start();
        }
        run.thread.interrupt();
        return true;
    }

    /** Puts the run in the background for good and, within the node's bound, a fresh thread in its place. */
    private synchronized void demote(Run run, long now) {
        if (run.returned || run.demoted) {
            return;
        }
        run.demoted = true;
        run.cpuMark = cpuUsed(run);
        run.wallMark = now;
        demoted.incrementAndGet();
        if (!run.replaced && backgroundReplacements < background.maxThreads()) {
            run.replaced = true;
            run.backgroundReplacement = true;
            backgroundReplacements++;
            start();
        }
    }

    /** Stops the watchdog, drops the runs still queued and interrupts the running ones; every thread then ends. */
    @Override
    public void close() {
        closed = true;
        watchdog.cancel(false);
        queue.clear();
        threads.forEach(Thread::interrupt);
    }

    /**
     * When runs go to the background, and what they get there.
     *
     * @param after CPU time a run may use before it goes to the background; zero: never
     * @param maxThreads threads the pool adds at most, node-wide, in place of demoted runs still running
     * @param cpu the share of one CPU that every run in the background together gets while other runs are active
     */
    record Background(Duration after, int maxThreads, double cpu) {
        static final Background OFF = new Background(Duration.ZERO, 0, 1);

        Background {
            if (after.isNegative() || maxThreads < 0 || !(cpu > 0)) {
                throw new IllegalArgumentException("background after " + after + ", max threads " + maxThreads + ", cpu " + cpu);
            }
        }

        boolean enabled() {
            return !after.isZero();
        }
    }

    /**
     * A run in progress; {@code overdue} once the watchdog interrupted it past its deadline,
     * {@code demoted} once it went to the background, {@code replaced} once a thread was added in its
     * place, {@code returned} once it ended; {@code cpuMark} and {@code wallMark} are its thread's CPU
     * time and the time when its share was last settled. They change only under the pool's lock; a
     * thread replaced leaves the pool after the run.
     */
    private static final class Run {
        final GuestThread thread;
        final long started;
        final long cpuAtStart;
        final long overdueAt;
        boolean overdue;
        boolean demoted;
        boolean replaced;
        boolean backgroundReplacement;
        boolean returned;
        long cpuMark;
        long wallMark;

        Run(GuestThread thread, long started, long cpuAtStart, long overdueAt) {
            this.thread = thread;
            this.started = started;
            this.cpuAtStart = cpuAtStart;
            this.overdueAt = overdueAt;
        }
    }

    /** Every guest thread is busy and the queue is full. */
    public static final class GuestPoolFullException extends RuntimeException {
        GuestPoolFullException() {
            super("all guest threads are busy");
        }
    }
}
