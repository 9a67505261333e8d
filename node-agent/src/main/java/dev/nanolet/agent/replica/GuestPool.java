package dev.nanolet.agent.replica;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * The bounded pool of platform threads that run guests, HTTP requests and jobs alike; never a
 * Netty event loop. A full pool refuses work with {@link GuestPoolFullException} instead of queueing
 * without bound.
 */
public final class GuestPool implements AutoCloseable {

    private final ThreadPoolExecutor executor;

    public GuestPool(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "nanolet-guest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Runs {@code work} on a guest thread; cancelling the Mono interrupts the thread. */
    public <T> Mono<T> call(Callable<T> work) {
        return Mono.create(sink -> {
            Future<?> future;
            try {
                future = executor.submit(() -> {
                    try {
                        sink.success(work.call());
                    } catch (Throwable t) {
                        sink.error(t);
                    }
                });
            } catch (RejectedExecutionException e) {
                sink.error(new GuestPoolFullException());
                return;
            }
            sink.onCancel(() -> future.cancel(true));
        });
    }

    /** Runs {@code work} on a guest thread; the future interrupts it when cancelled. */
    public Future<?> submit(Runnable work) {
        try {
            return executor.submit(work);
        } catch (RejectedExecutionException e) {
            throw new GuestPoolFullException();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Every guest thread is busy and the queue is full. */
    public static final class GuestPoolFullException extends RuntimeException {
        GuestPoolFullException() {
            super("all guest threads are busy");
        }
    }
}
