package dev.nanolet.platform.control;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Collects {@code nanolet_control} payloads between two rounds of the control loop: the ids of
 * {@code deployment:<id>} payloads coalesce into one set, so a burst of reports about one deployment
 * costs one reconciliation of it. {@code nodes} (a node registered) wakes the loop without naming a
 * deployment. Anything else — the {@code null} sent after the listener (re)connected, a payload this
 * version does not know — asks for everything, since something may have been missed.
 *
 * <p>{@link #accept} runs on the listener thread (or on a {@link Prompt} that failed) and only records
 * and signals; {@link #await} and {@link #take} run on the loop's thread. A payload recorded while a
 * round runs is taken by the next.
 */
@Component
final class Wakeups {
    static final String DEPLOYMENT = "deployment:";
    static final String NODES = "nodes";

    private final Semaphore signal = new Semaphore(0);
    private Set<Long> deployments = new HashSet<>();
    private boolean all;

    /** Records one payload and wakes the loop. */
    void accept(String payload) {
        synchronized (this) {
            Long id = deploymentId(payload);
            if (id != null) {
                deployments.add(id);
            } else if (!NODES.equals(payload)) {
                all = true;
            }
        }
        signal.release();
    }

    /**
     * Makes the next round a full one without waking the loop early: a round that failed may have
     * dropped the changes it was given, and retrying at once would spin while the database is down.
     */
    synchronized void retryAll() {
        all = true;
    }

    /** Waits up to {@code millis} for a payload; whether one came. */
    boolean await(long millis) throws InterruptedException {
        boolean woken = signal.tryAcquire(Math.max(0, millis), TimeUnit.MILLISECONDS);
        signal.drainPermits();
        return woken;
    }

    /** What changed since the last call (everything when {@code periodic}), and starts collecting afresh. */
    synchronized Changes take(boolean periodic) {
        Changes changes = periodic || all ? Changes.ALL : Changes.of(deployments);
        deployments = new HashSet<>();
        all = false;
        return changes;
    }

    private static Long deploymentId(String payload) {
        if (payload == null || !payload.startsWith(DEPLOYMENT)) {
            return null;
        }
        try {
            return Long.parseLong(payload.substring(DEPLOYMENT.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
