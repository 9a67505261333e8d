package dev.nanolet.platform.assignment;

import dev.nanolet.platform.wakeup.PgNotifications;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Fans {@code nanolet_assignments} notifications out to this instance's watch streams: each
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

    Semaphore register(String node) {
        Semaphore signal = new Semaphore(0);
        byNode.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(signal);
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
