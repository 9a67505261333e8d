package dev.nanolet.platform.event;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records events. Joins the caller's transaction, so an event is kept exactly when the change
 * it describes is. A repeat of an event kept within the TTL (same object, type, reason and
 * message) replaces it with the count raised by one, so it lists as the newest. Only the newest
 * {@link EventProperties#maxPerObject()} events of an object are kept, and {@link #prune} deletes
 * those older than the TTL.
 */
@Component
public class Events {
    private final JdbcClient jdbc;
    private final EventProperties properties;
    private final Clock clock;

    Events(JdbcClient jdbc, EventProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Something normal happened to a deployment (or one of its replicas when {@code object} names it). */
    public void normal(String object, String namespace, String deployment, String node, String reason, String message) {
        record("Normal", object, namespace, deployment, node, reason, message);
    }

    /** Something went wrong. */
    public void warning(String object, String namespace, String deployment, String node, String reason, String message) {
        record("Warning", object, namespace, deployment, node, reason, message);
    }

    /** A Normal event of an object that cannot have had it before (so no repeat to fold in). */
    public record First(String object, String namespace, String deployment, String node, String reason, String message) {}

    /**
     * Records Normal events, each of an object seen with it for the first time (a replica is
     * bound once), in one insert; then keeps the newest events of those objects, as {@link #normal}.
     */
    public void normalAll(List<First> firsts) {
        if (firsts.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        INSERT INTO events (time, first_time, count, type, reason, message, object, namespace, deployment, node_name)
                        SELECT :now, :now, 1, 'Normal', e.reason, e.message, e.object, e.namespace, e.deployment, e.node
                        FROM unnest(CAST(:objects AS text[]), CAST(:namespaces AS text[]), CAST(:deployments AS text[]),
                                    CAST(:nodes AS text[]), CAST(:reasons AS text[]), CAST(:messages AS text[]))
                             WITH ORDINALITY AS e(object, namespace, deployment, node, reason, message, n)
                        ORDER BY e.n""")
                .param("now", now)
                .param("objects", firsts.stream().map(First::object).toArray(String[]::new))
                .param("namespaces", firsts.stream().map(First::namespace).toArray(String[]::new))
                .param("deployments", firsts.stream().map(First::deployment).toArray(String[]::new))
                .param("nodes", firsts.stream().map(First::node).toArray(String[]::new))
                .param("reasons", firsts.stream().map(First::reason).toArray(String[]::new))
                .param("messages", firsts.stream().map(First::message).toArray(String[]::new))
                .update();
        jdbc.sql("""
                        DELETE FROM events e WHERE e.object = ANY(CAST(:objects AS text[])) AND e.id <= (
                            SELECT x.id FROM events x WHERE x.object = e.object ORDER BY x.id DESC OFFSET :keep LIMIT 1)""")
                .param("objects", firsts.stream().map(First::object).toArray(String[]::new))
                .param("keep", properties.maxPerObject())
                .update();
    }

    private record Earlier(int count, Timestamp firstTime) {}

    private void record(String type, String object, String namespace, String deployment, String node,
            String reason, String message) {
        Instant now = clock.instant();
        Earlier earlier = jdbc.sql("""
                        DELETE FROM events WHERE id = (
                            SELECT id FROM events WHERE object = ? AND type = ? AND reason = ? AND message = ? AND time >= ?
                            ORDER BY id DESC LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING count, first_time""")
                .params(object, type, reason, message, Timestamp.from(now.minus(properties.ttl())))
                .query(Earlier.class).optional().orElse(null);
        jdbc.sql("""
                        INSERT INTO events (time, first_time, count, type, reason, message, object, namespace, deployment, node_name)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Timestamp.from(now), earlier == null ? Timestamp.from(now) : earlier.firstTime(),
                        earlier == null ? 1 : earlier.count() + 1, type, reason, message, object, namespace, deployment, node)
                .update();
        jdbc.sql("""
                        DELETE FROM events WHERE object = ? AND id <= (
                            SELECT id FROM events WHERE object = ? ORDER BY id DESC OFFSET ? LIMIT 1)""")
                .params(object, object, properties.maxPerObject()).update();
    }

    /** The reason of the newest event kept of {@code object}; empty when it has none (never had one, or all were pruned). */
    public Optional<String> newestReason(String object) {
        return jdbc.sql("SELECT reason FROM events WHERE object = ? ORDER BY id DESC LIMIT 1").param(object).query(String.class).optional();
    }

    /**
     * Deletes events not repeated within the TTL.
     *
     * @return how many were deleted
     */
    public int prune() {
        return jdbc.sql("DELETE FROM events WHERE time < ?")
                .param(Timestamp.from(clock.instant().minus(properties.ttl()))).update();
    }
}
