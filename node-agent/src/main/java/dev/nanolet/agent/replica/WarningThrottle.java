package dev.nanolet.agent.replica;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets through at most one identical Warning (same replica, reason and message) per {@link #WINDOW}.
 * The first one after a quiet window says how many were held back, so a trap on every HTTP request
 * becomes one event every ten seconds with a count instead of one per request. At most
 * {@link #MAX_KEYS} warnings are remembered; when full, expired ones are pruned, and if none has
 * expired a new distinct warning is held back too (the outbox must stay bounded).
 */
final class WarningThrottle {

    static final Duration WINDOW = Duration.ofSeconds(10);
    static final int MAX_KEYS = 1024;
    private record Key(UUID replica, String reason, String message) {}
    private record Window(Instant start, int held) {}

    private final Map<Key, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    WarningThrottle(Clock clock) {
        this.clock = clock;
    }

    /** The message to send now, or empty if this warning is held back. */
    synchronized Optional<String> admit(UUID replica, String reason, String message) {
        Instant now = clock.instant();
        Key key = new Key(replica, reason, message);
        Window w = windows.get(key);
        if (w != null && now.isBefore(w.start().plus(WINDOW))) {
            windows.put(key, new Window(w.start(), w.held() + 1));
            return Optional.empty();
        }
        if (w == null && windows.size() >= MAX_KEYS) {
            windows.values().removeIf(x -> !now.isBefore(x.start().plus(WINDOW)));
            if (windows.size() >= MAX_KEYS) {
                return Optional.empty();
            }
        }
        windows.put(key, new Window(now, 0));
        return Optional.of(w == null || w.held() == 0 ? message
                : message + " (" + (w.held() + 1) + " times since the last report)");
    }

    synchronized void forget(UUID replica) {
        windows.keySet().removeIf(k -> k.replica().equals(replica));
    }
}
