package dev.nanolet.platform.assignment;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What wakes one watch stream, and why: its node's log grew ({@link #logChanged}: the stream reads the
 * log), or something it only announces changed ({@link #nudge}: the route table; the stream sends a
 * {@code routes} event without reading the log). The flag, not the permits, says whether to read, so a
 * change that arrives while the stream reads or sends is read on its next turn.
 */
final class WatchSignal {
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean logChanged = new AtomicBoolean(true); // a new stream reads the log once

    void logChanged() {
        logChanged.set(true);
        wake.release();
    }

    void nudge() {
        wake.release();
    }

    /** Whether the log changed since the last call (and clears it). */
    boolean takeLogChanged() {
        return logChanged.getAndSet(false);
    }

    /** Waits up to {@code millis} for a wake-up; false when none came. */
    boolean await(long millis) throws InterruptedException {
        return wake.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    /** Forgets the wake-ups that came meanwhile (what they were for is in the flag or in the caller's own checks). */
    void drain() {
        wake.drainPermits();
    }
}
