package dev.nanolet.agent.replica;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread of the {@link GuestPool}: knows whether it retires after its current run (written off, or
 * put in the background), and pauses when the pool asks it to.
 *
 * <p>A pause is cooperative: the pool sets a time, and the thread parks until then at its next
 * interruption check ({@link #isInterrupted}), which the engine makes at every loop back-edge and
 * call of guest code and the host makes between chunks of I/O. A parked thread is at a safepoint
 * already, so unlike a thread the operating system starves of CPU (nice 19, {@code SCHED_IDLE}) it
 * never keeps the JVM from reaching one; an interrupt (the run's deadline) ends the pause at once.
 */
final class GuestThread extends Thread {

    private final AtomicLong pauseUntil = new AtomicLong();
    private volatile boolean retiring;

    GuestThread(Runnable work, String name) {
        super(work, name);
        setDaemon(true);
    }

    /** Asks the thread to park, at its next interruption check, until {@code nanoTime} (of {@link System#nanoTime}). */
    void pauseUntil(long nanoTime) {
        pauseUntil.set(nanoTime == 0 ? 1 : nanoTime);
    }

    /** Ends or cancels a pause: the run it was meant for returned. */
    void endPause() {
        pauseUntil.set(0);
        LockSupport.unpark(this);
    }

    /** Whether a pause was asked for and has not ended yet. */
    boolean pausing() {
        return pauseUntil.get() != 0;
    }

    /** The interruption check of guest code and host calls: pauses first if the pool asked for it. */
    @Override
    public boolean isInterrupted() {
        long until = pauseUntil.get();
        if (until != 0 && Thread.currentThread() == this) {
            pause(until);
        }
        return super.isInterrupted();
    }

    private void pause(long until) {
        for (long left = until - System.nanoTime(); left > 0 && !super.isInterrupted(); left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
        pauseUntil.compareAndSet(until, 0);
    }

    /** This thread leaves the pool once its current run returns. */
    void retire() {
        retiring = true;
    }

    boolean retiring() {
        return retiring;
    }
}
