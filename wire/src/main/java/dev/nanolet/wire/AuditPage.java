package dev.nanolet.wire;

import java.util.List;

/**
 * A page of {@code GET /api/v1/audit}, newest first.
 *
 * @param next the {@code before} to ask for the next (older) page; null on the last page
 */
public record AuditPage(List<AuditEntry> entries, Long next) {
    public AuditPage {
        entries = Collections2.list(entries);
    }
}
