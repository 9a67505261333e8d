package dev.nanolet.platform.assignment;

import dev.nanolet.platform.TooManyRequestsException;
import dev.nanolet.platform.wakeup.PgNotifications;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Fans {@code nanolet_assignments} notifications (sent by the {@code assignment_changes_notify}
 * trigger for every row {@link dev.nanolet.platform.replica.AssignmentLog} appends; see {@link PgNotifications}) out to this
 * instance's watch streams: each
 * stream holds a semaphore that a change to its node releases, so no wake-up is lost between
 * reading the log and waiting. Stopping the application ends every stream first (nodes reconnect,
 * to another instance if there is one), so graceful shutdown does not wait on streams that never end.
 */
@Component
class WatchSignals implements SmartLifecycle {
    private final Map<String, Set<Semaphore>> byNode = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean stopping;

    WatchSignals(PgNotifications notifications) {
        notifications.subscribe(PgNotifications.ASSIGNMENTS, this::wake);
    }

    /**
     * A new stream's signal.
     *
     * @throws TooManyRequestsException if {@code node} already has {@code max} streams on this instance
     */
    Semaphore register(String node, int max) {
        Semaphore signal = new Semaphore(0);
        byNode.compute(node, (n, signals) -> {
            Set<Semaphore> set = signals == null ? ConcurrentHashMap.newKeySet() : signals;
            if (set.size() >= max) {
                throw new TooManyRequestsException("node " + node + " already has " + max
                        + " open watch streams on this instance (nanolet.nodes.max-watches-per-node)");
            }
            set.add(signal);
            return set;
        });
        return signal;
    }

    void unregister(String node, Semaphore signal) {
        byNode.computeIfPresent(node, (n, signals) -> {
            signals.remove(signal);
            return signals.isEmpty() ? null : signals;
        });
    }

    /** Wakes the streams of {@code node}, or of every node when {@code node} is null. */
    void wake(String node) {
        if (node == null) {
            byNode.values().forEach(signals -> signals.forEach(Semaphore::release));
        } else {
            byNode.getOrDefault(node, Set.of()).forEach(Semaphore::release);
        }
    }

    /** Whether streams should end: the application is stopping. */
    boolean stopping() {
        return stopping;
    }

    @Override
    public void start() {
        stopping = false;
        running = true;
    }

    @Override
    public void stop() {
        stopping = true;
        running = false;
        wake(null);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server's graceful shutdown, which would otherwise wait for the streams. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
