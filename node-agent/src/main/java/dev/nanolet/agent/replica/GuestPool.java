package dev.nanolet.agent.replica;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
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
 */
public final class GuestPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GuestPool.class);

    private final ThreadPoolExecutor executor;
    private final Duration overrunGrace;
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger writtenOff = new AtomicInteger();
    private final ScheduledFuture<?> watchdog;

    /**
     * @param watchdogTimer checks for overstaying runs every {@code overrunGrace / 4}
     */
    public GuestPool(int threads, int queue, Duration overrunGrace, ScheduledExecutorService watchdogTimer) {
        AtomicInteger n = new AtomicInteger();
        this.overrunGrace = overrunGrace;
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "nanolet-guest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        long period = Math.max(10, overrunGrace.toMillis() / 4);
        watchdog = watchdogTimer.scheduleWithFixedDelay(this::writeOffOverstaying, period, period, TimeUnit.MILLISECONDS);
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
                future = executor.submit(watched(deadline, () -> {
                    try {
                        sink.success(work.call());
                    } catch (Throwable t) {
                        sink.error(t);
                    }
                }));
            } catch (RejectedExecutionException e) {
                sink.error(new GuestPoolFullException());
                return;
            }
            sink.onCancel(() -> future.cancel(true));
        });
    }

    /** Runs {@code work} on a guest thread within {@code deadline}; the future interrupts it when cancelled. */
    public Future<?> submit(Duration deadline, Runnable work) {
        try {
            return executor.submit(watched(deadline, work));
        } catch (RejectedExecutionException e) {
            throw new GuestPoolFullException();
        }
    }

    /** How many threads were written off since the start; the pool replaced each. */
    public int writtenOff() {
        return writtenOff.get();
    }

    /** Threads the pool may run at once right now: its size plus one per run still overstaying. */
    public int capacity() {
        return executor.getMaximumPoolSize();
    }

    private Runnable watched(Duration deadline, Runnable work) {
        return () -> {
            Run run = new Run(Thread.currentThread(), System.nanoTime() + deadline.plus(overrunGrace).toNanos());
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
     * The run has returned: from now on the watchdog leaves it alone, and if it was written off its
     * replacement stays and the pool shrinks back. Under the pool's lock, like {@link #writeOff},
     * so a run found overdue just as it returns is either written off before (and shrinks the
     * pool here) or not at all: never a thread added for good, never an interrupt for the thread's next run.
     */
    private synchronized void returned(Run run) {
        run.returned = true;
        if (run.writtenOff) {
            resize(-1);
        }
    }

    private void writeOffOverstaying() {
        long now = System.nanoTime();
        for (Run run : running) {
            if (now - run.overdueAt > 0 && writeOff(run)) {
                log.warn("guest thread {} overstayed its deadline by more than {} ms: written off and replaced",
                        run.thread.getName(), overrunGrace.toMillis());
            }
        }
    }

    /** Adds a thread in the run's place and interrupts the run, unless it was written off or returned already. */
    private synchronized boolean writeOff(Run run) {
        if (run.returned || run.writtenOff) {
            return false;
        }
        run.writtenOff = true;
        writtenOff.incrementAndGet();
        resize(+1);
        run.thread.interrupt();
        return true;
    }

    private void resize(int delta) {
        if (executor.isShutdown()) {
            return;
        }
        int size = executor.getMaximumPoolSize() + delta;
        if (delta > 0) {
            executor.setMaximumPoolSize(size);
            executor.setCorePoolSize(size);
            executor.prestartCoreThread();
        } else {
            executor.setCorePoolSize(size);
            executor.setMaximumPoolSize(size);
        }
    }

    @Override
    public void close() {
        watchdog.cancel(false);
        executor.shutdownNow();
    }

    /**
     * A run in progress; {@code writtenOff} once the watchdog gave its thread's place to a new one,
     * {@code returned} once it ended. Both change only under the pool's lock.
     */
    private static final class Run {
        final Thread thread;
        final long overdueAt;
        boolean writtenOff;
        boolean returned;

        Run(Thread thread, long overdueAt) {
            this.thread = thread;
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
