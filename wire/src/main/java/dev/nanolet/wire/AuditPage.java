package dev.nanolet.wire;

import java.util.List;

/**
 * A page of {@code GET /api/v1/audit}, newest first.
 *
 * @param next the {@code before} to ask for the next (older) page; null on the last page
 */
public record AuditPage(List<AuditEntry> entries, Long next) {
    /** The largest page a client may ask for ({@code limit}, 1 to this). */
    public static final int MAX_LIMIT = 500;

    public AuditPage {
        entries = Collections2.list(entries);
    }
}
