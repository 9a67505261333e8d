package dev.nanolet.platform.control;

/**
 * One step of the control loop, run on every platform-api instance when state changes and
 * periodically. A pass must be safe to run on several instances at once: it coordinates through
 * PostgreSQL locks, never through memory.
 */
public interface ControlPass {
    /** Does the work that is due now; a failure is logged and the pass runs again next time. */
    void run();
}
