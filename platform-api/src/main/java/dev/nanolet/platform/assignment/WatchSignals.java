package dev.nanolet.platform.assignment;

import dev.nanolet.platform.wakeup.PgNotifications;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * Fans {@code nanolet_assignments} notifications out to this instance's watch streams: each
 * stream holds a semaphore that a change to its node releases, so no wake-up is lost between
 * reading the log and waiting.
 */
@Component
class WatchSignals {
    private final Map<String, Set<Semaphore>> byNode = new ConcurrentHashMap<>();

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
}
