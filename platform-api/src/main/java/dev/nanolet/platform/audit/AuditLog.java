package dev.nanolet.platform.audit;

import dev.nanolet.wire.AuditEntry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every statement on {@code audit_log}. Each instance deletes entries older than the retention at
 * most every {@link #PRUNE_EVERY}, after a write, so the table stays bounded without a job of its own.
 */
@Component
public class AuditLog {
    static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final AuditProperties properties;
    private final Clock clock;
    private final AtomicReference<Instant> nextPrune = new AtomicReference<>(Instant.MIN);

    AuditLog(JdbcClient jdbc, AuditProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Records {@code entry} (its id and time are assigned here). */
    public void record(AuditEntry entry) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("""
                        INSERT INTO audit_log (at, actor_id, actor_name, method, path, namespace, object, client, status, dry_run, written,
                            request_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Timestamp.from(now), entry.actorId(), entry.actorName(), entry.method(), entry.path(),
                        entry.namespace(), entry.object(), entry.client(), entry.status(), entry.dryRun(), entry.written(),
                        entry.requestId())
                .update();
        Instant due = nextPrune.get();
        if (!now.isBefore(due) && nextPrune.compareAndSet(due, now.plus(PRUNE_EVERY))) {
            jdbc.sql("DELETE FROM audit_log WHERE at < ?").param(Timestamp.from(now.minus(properties.retention()))).update();
        }
    }

    /**
     * Which entries a page holds; each part filters when set (not null). {@code named}, when set, holds the only actor
     * ids {@code actor} and {@code requestId} may match entries of: a name, id or request id of anyone else's selects
     * nothing, so that guessing them reveals none.
     */
    record Filter(String namespace, String actor, Boolean dryRun, String requestId, Set<String> named) {
        /** Every entry. */
        static final Filter ALL = new Filter(null, null, null, null, null);

        Filter {
            named = named == null ? null : Set.copyOf(named);
        }
    }

    /**
     * Newest first, older than {@code before} (null: from the newest), at most {@code limit}, those {@code filter} selects:
     * {@code namespace}, {@code actor} (a token's id or name, among {@code named} when set), {@code dryRun} and
     * {@code requestId} (exactly, of an actor among {@code named} when set).
     */
    List<AuditEntry> page(Filter filter, Long before, int limit) {
        String[] named = filter.named() == null ? null : filter.named().toArray(String[]::new);
        return jdbc.sql("""
                        SELECT id, at, actor_id, actor_name, method, path, namespace, object, client, status, dry_run, written, request_id
                        FROM audit_log
                        WHERE (CAST(? AS text) IS NULL OR namespace = ?)
                          AND (CAST(? AS text) IS NULL OR (actor_id = ? OR actor_name = ?) AND (CAST(? AS text[]) IS NULL OR actor_id = ANY(?)))
                          AND (CAST(? AS boolean) IS NULL OR dry_run = ?) AND (CAST(? AS bigint) IS NULL OR id < ?)
                          AND (CAST(? AS text) IS NULL OR request_id = ? AND (CAST(? AS text[]) IS NULL OR actor_id = ANY(?)))
                        ORDER BY id DESC LIMIT ?""")
                .params(filter.namespace(), filter.namespace(), filter.actor(), filter.actor(), filter.actor(), named, named, filter.dryRun(),
                        filter.dryRun(), before, before, filter.requestId(), filter.requestId(), named, named, limit)
                .query((rs, n) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor_id"),
                        rs.getString("actor_name"), rs.getString("method"), rs.getString("path"), rs.getString("namespace"),
                        rs.getString("object"), rs.getString("client"), rs.getInt("status"), rs.getBoolean("dry_run"),
                        rs.getObject("written", Integer.class), rs.getString("request_id")))
                .list();
    }
}
