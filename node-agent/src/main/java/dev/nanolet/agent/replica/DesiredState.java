package dev.nanolet.agent.replica;

import dev.nanolet.wire.Assignment;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * What the node is told to run, as a control plane delivers it. Calls only enqueue: the
 * {@link Reconciler} applies them on its own thread, in order.
 */
public interface DesiredState {

    /** A full snapshot: it replaces the desired set, and every kept replica is reported again. */
    void replaceAll(Collection<Assignment> snapshot);

    /**
     * A full snapshot listed after a lease renewal that ended a fence (platform mode): it replaces the
     * desired set and lifts the fence in one step, so no job the platform replaced meanwhile starts again.
     */
    void replaceAllLiftingFence(Collection<Assignment> snapshot);

    /**
     * The lease has not been renewed for a lease duration: stop every unfinished job and start none
     * until {@link #replaceAllLiftingFence}. Http replicas keep serving (static stability).
     */
    void fence();

    /** An added or changed assignment. */
    void put(Assignment a);

    /** An assignment that is gone. */
    void remove(UUID replicaId);

    /** The control plane cannot be reached yet: serve what was saved before the last stop (static stability). */
    void restoreSaved();

    /** The desired set saved before the last stop (empty if none): what this node ran then, without secret values. */
    List<Assignment> saved();
}
