package dev.nanolet.platform.control;

/**
 * One step of the control loop, run on every platform-api instance when state changes (with
 * what changed) and periodically (with everything). A pass must be safe to run on several instances at once: it coordinates through
 * PostgreSQL locks, never through memory.
 */
public interface ControlPass {
    // The pass order, as each pass's @Order: one round of the loop goes from a change to its effect.

    /** First: a NotReady node's replicas are removed, so that the controller replaces them in the same round. */
    int EVICTION = 10;
    /** Then the deployment controller creates and terminates replicas toward each spec. */
    int DEPLOYMENTS = 20;
    /** Then the scheduler binds the Pending replicas the controller has just created. */
    int SCHEDULING = 30;
    /** Last, least urgent: pruning of old assignment changes, metric samples and events. */
    int RETENTION = 100;

    /**
     * Does the work that is due now, for what changed ({@link Changes#ALL} on the periodic round);
     * a failure is logged and the pass runs again next time.
     */
    void run(Changes changes);
}
