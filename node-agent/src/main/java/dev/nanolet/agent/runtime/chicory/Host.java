package dev.nanolet.agent.runtime.chicory;

import dev.nanolet.agent.runtime.RuntimeLimits;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the host lends every run: the timer for deadlines, the guest's clock and randomness, the
 * limits, and the node's budgets for linear memory and open files that every run of this runtime charges.
 */
record Host(ScheduledExecutorService timer, Clock clock, Random random, RuntimeLimits limits, MemoryBudget memory, OpenFiles files) {

    /** @param alone whether the budgets are one tenant's, with no part kept for another ({@link TenantShares}) */
    Host(ScheduledExecutorService timer, Clock clock, Random random, RuntimeLimits limits, boolean alone) {
        this(timer, clock, random, limits, new MemoryBudget(limits.guestMemoryBytes(), alone), OpenFiles.halfOfTheNodesLimit(alone));
    }
}
