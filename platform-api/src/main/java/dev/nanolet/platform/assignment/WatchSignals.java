package dev.nanolet.platform.assignment;

import dev.nanolet.platform.TooManyRequestsException;
import dev.nanolet.platform.wakeup.PgNotifications;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Fans {@code nanolet_assignments} notifications (sent by the {@code assignment_changes_notify}
 * trigger for every row {@link dev.nanolet.platform.replica.AssignmentLog} appends; see {@link PgNotifications}) out to this
 * instance's watch streams: each
 * stream holds a {@link WatchSignal} that a change to its node sets, so no wake-up is lost between
 * reading the log and waiting; {@link #nudgeAll} wakes every stream without making it read its log. Stopping the application ends every stream first (nodes reconnect,
 * to another instance if there is one), so graceful shutdown does not wait on streams that never end.
 */
@Component
class WatchSignals implements SmartLifecycle {
    private final Map<String, Set<WatchSignal>> byNode = new ConcurrentHashMap<>();
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
    WatchSignal register(String node, int max) {
        WatchSignal signal = new WatchSignal();
        byNode.compute(node, (n, signals) -> {
            Set<WatchSignal> set = signals == null ? ConcurrentHashMap.newKeySet() : signals;
            if (set.size() >= max) {
                throw new TooManyRequestsException("node " + node + " already has " + max
                        + " open watch streams on this instance (nanolet.nodes.max-watches-per-node)");
            }
            set.add(signal);
            return set;
        });
        return signal;
    }

    void unregister(String node, WatchSignal signal) {
        byNode.computeIfPresent(node, (n, signals) -> {
            signals.remove(signal);
            return signals.isEmpty() ? null : signals;
        });
    }

    /** The log of {@code node}, or of every node when {@code node} is null (notifications may have been missed), grew. */
    void wake(String node) {
        if (node == null) {
            byNode.values().forEach(signals -> signals.forEach(WatchSignal::logChanged));
        } else {
            byNode.getOrDefault(node, Set.of()).forEach(WatchSignal::logChanged);
        }
    }

    /** Wakes every stream to announce something that is not in the log (the route table changed): no stream reads its log for it. */
    void nudgeAll() {
        byNode.values().forEach(signals -> signals.forEach(WatchSignal::nudge));
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
