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
 *
 * <p>Similar warnings (same replica and reason, other messages: a trap per distinct path) are
 * aggregated as Kubernetes' EventAggregator does: after {@link #MAX_SIMILAR} distinct messages
 * within {@link #SIMILAR_WINDOW}, further ones leave the node at most once per {@link #WINDOW},
 * as one event saying how many similar events it combines, with the latest message.
 */
final class WarningThrottle {

    static final Duration WINDOW = Duration.ofSeconds(10);
    static final int MAX_KEYS = 1024;
    static final Duration SIMILAR_WINDOW = Duration.ofMinutes(10);
    static final int MAX_SIMILAR = 10;
    private record Key(UUID replica, String reason, String message) {}
    private record Window(Instant start, int held) {}
    private record Similar(UUID replica, String reason) {}
    private record Burst(Instant start, int distinct, Instant lastCombined, int held) {}

    private final Map<Key, Window> windows = new ConcurrentHashMap<>();
    private final Map<Similar, Burst> bursts = new ConcurrentHashMap<>();
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
        if (w == null) {
            Optional<Optional<String>> combined = similar(new Similar(replica, reason), message, now);
            if (combined.isPresent()) {
                return combined.get();
            }
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

    /** Counts a new distinct message; when the replica already sent enough similar ones, what to do instead. */
    private Optional<Optional<String>> similar(Similar s, String message, Instant now) {
        Burst b = bursts.get(s);
        if (b == null || !now.isBefore(b.start().plus(SIMILAR_WINDOW))) {
            if (b == null && bursts.size() >= MAX_KEYS) {
                bursts.values().removeIf(x -> !now.isBefore(x.start().plus(SIMILAR_WINDOW)));
            }
            b = new Burst(now, 0, Instant.EPOCH, 0);
        }
        if (b.distinct() < MAX_SIMILAR) {
            bursts.put(s, new Burst(b.start(), b.distinct() + 1, b.lastCombined(), b.held()));
            return Optional.empty();
        }
        if (now.isBefore(b.lastCombined().plus(WINDOW))) {
            bursts.put(s, new Burst(b.start(), b.distinct(), b.lastCombined(), b.held() + 1));
            return Optional.of(Optional.empty());
        }
        bursts.put(s, new Burst(b.start(), b.distinct(), now, 0));
        return Optional.of(Optional.of("(combined from " + (b.held() + 1) + " similar events) " + message));
    }

    synchronized void forget(UUID replica) {
        windows.keySet().removeIf(k -> k.replica().equals(replica));
        bursts.keySet().removeIf(k -> k.replica().equals(replica));
    }
}
