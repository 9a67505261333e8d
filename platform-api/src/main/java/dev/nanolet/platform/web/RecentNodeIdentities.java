package dev.nanolet.platform.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node credentials this instance found in the last {@link #TTL}, so that a node's burst of calls
 * (status batches, a watch's reconnection, a renewal) does not take a pooled connection for the
 * credential's lookup before each request's own transaction takes another. Kept by the SHA-256 of the
 * credential only (as in the database; a lookup by the hash of a random secret leaks nothing useful
 * through timing), found credentials only (an unknown one is looked up every time, and cannot fill
 * this), at most {@link #MAX_ENTRIES}. An answer is trusted for {@link #TTL} from the moment its lookup
 * began, so a credential revoked in the database (the node deleted) is refused by every instance
 * within {@link #TTL}: instances share nothing but PostgreSQL, and each forgets on its own clock.
 */
final class RecentNodeIdentities {
    /** How long a found credential is trusted without asking the database again (docs/security.md). */
    static final Duration TTL = Duration.ofSeconds(1);
    static final int MAX_ENTRIES = 20_000;

    private record Found(String node, Instant until) {}

    private final Map<String, Found> found = new ConcurrentHashMap<>();
    private final NodeIdentities nodes;
    private final Clock clock;

    RecentNodeIdentities(NodeIdentities nodes, Clock clock) {
        this.nodes = nodes;
        this.clock = clock;
    }

    Optional<String> nodeFor(String token) {
        String key = sha256(token);
        Instant asked = clock.instant();
        Found recent = found.get(key);
        if (recent != null && asked.isBefore(recent.until())) {
            return Optional.of(recent.node());
        }
        Optional<String> node = nodes.nodeFor(token);
        if (node.isEmpty()) {
            found.remove(key);
            return node;
        }
        if (found.size() >= MAX_ENTRIES) {
            found.values().removeIf(f -> !asked.isBefore(f.until()));
            if (found.size() >= MAX_ENTRIES) {
                found.clear();
            }
        }
        found.put(key, new Found(node.get(), asked.plus(TTL)));
        return node;
    }

    /** How many credentials are remembered (for tests). */
    int remembered() {
        return found.size();
    }

    private static String sha256(String token) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
