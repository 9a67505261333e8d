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
 * <em>demoted</em>: its thread goes to the background ({@link ThreadPriority}: nice 19,
 * {@code SCHED_IDLE}), where it runs only on CPU time that ordinary threads leave, so the short runs
 * of every deployment keep their latency next to runaway loops. Its priority cannot be raised again,
 * so the thread leaves the pool when its run returns, and while it runs a fresh thread takes its place,
 * up to {@link Background#maxThreads} such replacements on the node at once (past that a demoted run
 * keeps its place in the pool, in the background, and a fresh thread comes when it returns).
 *
 * <p>The pool manages its threads itself rather than through a {@code ThreadPoolExecutor}: a thread
 * inherits the nice value and policy of the thread that starts it, so fresh threads are only ever
 * started by the constructor's caller and the watchdog's timer, never by a guest thread, and the
 * thread that leaves is always the one written off or demoted, never any idle one.
 */
public final class GuestPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GuestPool.class);

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
    private final ScheduledFuture<?> watchdog;

    /**
     * A pool that never demotes a run.
     *
     * @param watchdogTimer checks for overstaying runs every {@code overrunGrace / 4}
     */
    public GuestPool(int threads, int queue, Duration overrunGrace, ScheduledExecutorService watchdogTimer) {
        this(threads, queue, overrunGrace, Background.OFF, watchdogTimer);
    }

    /**
     * @param watchdogTimer checks for overstaying runs every {@code overrunGrace / 4}, and for runs to
     *     demote every {@code background.after / 4} (at least every 5 ms)
     */
    GuestPool(int threads, int queue, Duration overrunGrace, Background background, ScheduledExecutorService watchdogTimer) {
        this.overrunGrace = overrunGrace;
        this.background = background;
        this.queue = new ArrayBlockingQueue<>(queue);
        this.timer = watchdogTimer;
        for (int i = 0; i < threads; i++) {
            start();
        }
        long period = Math.max(10, overrunGrace.toMillis() / 4);
        if (background.enabled()) {
            period = Math.min(period, Math.max(5, background.after().toMillis() / 4));
        }
        watchdog = watchdogTimer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code work} on a guest thread; cancelling the Mono interrupts the thread.
     *
     * @param deadline how long the work may take; past it and the grace the thread is written off
     */
    public <T> Mono<T> call(Duration deadline, Callable<T> work) {
        return Mono.create(sink -> {
            Future<?> future;
            try {
                future = submit(deadline, () -> {
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

    /** Runs {@code work} on a guest thread within {@code deadline}; the future interrupts it when cancelled. */
    public Future<?> submit(Duration deadline, Runnable work) {
        FutureTask<Void> task = new FutureTask<>(watched(deadline, work), null);
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

    /** Threads the pool may run at once right now: its size plus one per run still overstaying or demoted and replaced. */
    public int capacity() {
        return threads.size();
    }

    /** Starts a guest thread; called only on threads of normal priority, whose nice value and policy it inherits. */
    private void start() {
        if (closed) {
            return;
        }
        GuestThread t = new GuestThread(this::work, "nanolet-guest-" + names.incrementAndGet(), background.enabled());
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

    private Runnable watched(Duration deadline, Runnable work) {
        return () -> {
            long now = System.nanoTime();
            Run run = new Run((GuestThread) Thread.currentThread(), now, cpuTime ? cpu.getCurrentThreadCpuTime() : now,
                    now + deadline.plus(overrunGrace).toNanos());
            running.add(run);
            try {
                work.run();
            } finally {
                running.remove(run);
                returned(run);
            }
        };
    }

    /**
     * The run has returned: from now on the watchdog leaves it alone, and if a thread was added in
     * its place that one stays and the pool shrinks back. Under the pool's lock, like {@link #writeOff}
     * and {@link #demote}, so a run found overdue or past its quantum just as it returns is either
     * handled before (and shrinks the pool here) or not at all: never a thread added for good, never
     * an interrupt or a lower priority for the thread's next run.
     */
    private synchronized void returned(Run run) {
        run.returned = true;
        if (run.replaced || run.lowered) {
            run.thread.retire();
        }
        if (run.backgroundReplacement) {
            backgroundReplacements--;
        }
        if (run.lowered && !run.replaced) {
            try {
                timer.execute(this::start); // not here: a thread started by this one would be in the background too
            } catch (RejectedExecutionException e) {
                // the node is shutting down
            }
        }
    }

    private void tick() {
        long now = System.nanoTime();
        long quantum = background.after().toNanos();
        for (Run run : running) {
            if (now - run.overdueAt > 0) {
                if (writeOff(run)) {
                    log.warn("guest thread {} overstayed its deadline by more than {} ms: written off and replaced",
                            run.thread.getName(), overrunGrace.toMillis());
                }
            } else if (background.enabled() && !run.demoted && now - run.started > quantum && cpuUsed(run, now) > quantum) {
                demote(run);
            }
        }
    }

    /** CPU time the run has used so far (wall time where the JVM cannot tell). */
    private long cpuUsed(Run run, long now) {
        long used = cpuTime ? cpu.getThreadCpuTime(run.thread.threadId()) : now;
        return used < 0 ? 0 : used - run.cpuAtStart;
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

    /** Puts the run's thread in the background for good and, within the node's bound, a fresh thread in its place. */
    private synchronized void demote(Run run) {
        if (run.returned || run.demoted) {
            return;
        }
        run.demoted = true;
        if (!run.thread.lower(background.priority())) {
            return;
        }
        run.lowered = true;
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
     * When runs go to the background.
     *
     * @param after CPU time a run may use at normal priority; zero: never
     * @param maxThreads threads the pool adds at most, node-wide, in place of demoted runs still running
     * @param priority how a thread goes to the background
     */
    record Background(Duration after, int maxThreads, ThreadPriority priority) {
        static final Background OFF = new Background(Duration.ZERO, 0, ThreadPriority.NONE);

        Background {
            if (after.isNegative() || maxThreads < 0) {
                throw new IllegalArgumentException("background after " + after + ", max threads " + maxThreads);
            }
        }

        boolean enabled() {
            return !after.isZero() && priority.available();
        }
    }

    /**
     * A run in progress; {@code overdue} once the watchdog interrupted it past its deadline,
     * {@code demoted} once it tried to put it in the background and {@code lowered} if that worked,
     * {@code replaced} once a thread was added in its place, {@code returned} once it ended. They
     * change only under the pool's lock; a thread replaced or lowered leaves the pool after the run.
     */
    private static final class Run {
        final GuestThread thread;
        final long started;
        final long cpuAtStart;
        final long overdueAt;
        boolean overdue;
        boolean demoted;
        boolean lowered;
        boolean replaced;
        boolean backgroundReplacement;
        boolean returned;

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
