package dev.nanolet.platform.control;

import java.util.Set;

/**
 * What woke one round of the control loop: the deployments named by {@code nanolet_control}
 * since the last round, or everything ({@code all}) on the periodic round, after the listener
 * (re)connected, or on a wake-up that named nothing this loop understands. A pass that works per
 * deployment handles only {@link #deployments()} unless {@link #all()}; passes that look at the
 * whole cluster anyway (the scheduler, eviction) run every round.
 *
 * @param all every deployment may have changed
 * @param deployments ids of the deployments known to have changed (empty when {@code all})
 */
public record Changes(boolean all, Set<Long> deployments) {
    /** Every deployment: the periodic round. */
    public static final Changes ALL = new Changes(true, Set.of());

    public Changes {
        deployments = Set.copyOf(deployments);
    }

    /** Only these deployments changed. */
    public static Changes of(Set<Long> deployments) {
        return new Changes(false, deployments);
    }
}
