package dev.nanolet.agent.replica;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread of the {@link GuestPool}: knows whether it retires after its current run (written off, or
 * put in the background), pauses when the pool asks it to, and gives its CPU slot back or takes one
 * again when its {@link CpuGate} asks it to.
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
    private final CpuGate gate;
    /** Set by the gate when it wants this thread at its next interruption check. */
    volatile boolean attention;
    /** Whether the thread holds one of the gate's slots; set by the gate. */
    volatile boolean holding;
    // guarded by the gate
    CpuGate.Share share;
    long heldSince;
    boolean yieldAsked;
    boolean lostSlot;
    /** Granted a slot while parked, and not yet seen running since: {@link CpuGate#tick} leaves its slot alone. */
    boolean waking;

    /** @param gate the node's CPU slots; null when guests run without one */
    GuestThread(Runnable work, String name, CpuGate gate) {
        super(work, name);
        this.gate = gate;
        setDaemon(true);
    }

    /** The guest thread running now, if the current thread is one and its pool has a gate. */
    static Optional<GuestThread> gated() {
        return Thread.currentThread() instanceof GuestThread t && t.gate != null ? Optional.of(t) : Optional.empty();
    }

    CpuGate gate() {
        return gate;
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
        if (Thread.currentThread() == this) {
            if (until != 0) {
                pause(until);
            }
            if (attention) {
                gate.checkpoint(this);
            }
        }
        return super.isInterrupted();
    }

    /** The interrupt flag itself, without pausing or checking with the gate. */
    boolean interruptFlag() {
        return super.isInterrupted();
    }

    private void pause(long until) {
        if (gate == null) {
            park(until);
            return;
        }
        try {
            gate.offCpu(this, () -> {
                park(until);
                return null;
            });
        } catch (Exception e) {
            throw new IllegalStateException(e); // parking throws nothing
        }
    }

    private void park(long until) {
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
