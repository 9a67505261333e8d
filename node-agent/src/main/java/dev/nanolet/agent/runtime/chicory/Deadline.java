package dev.nanolet.agent.runtime.chicory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts the thread that started it when the timeout passes, unless {@link #close()} came
 * first. Chicory checks the interrupt flag on calls and loop back-edges and then throws. The
 * interrupt is sent under the same lock that {@code close()} takes, so no interrupt can reach the
 * thread after {@code close()} returned, and {@code close()} clears one that did arrive: the
 * thread goes back to its pool clean.
 */
final class Deadline implements AutoCloseable {

    private final Thread thread = Thread.currentThread();
    private final ScheduledFuture<?> alarm;
    private boolean closed;
    private boolean fired;

    Deadline(ScheduledExecutorService timer, Duration timeout) {
        this.alarm = timer.schedule(this::fire, Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    private synchronized void fire() {
        if (!closed) {
            fired = true;
            thread.interrupt();
        }
    }

    /** Whether the timeout passed before the run ended. */
    synchronized boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        alarm.cancel(false);
        synchronized (this) {
            closed = true;
            if (fired) {
                Thread.interrupted();
            }
        }
    }
}
