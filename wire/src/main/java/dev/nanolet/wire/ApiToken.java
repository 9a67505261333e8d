package dev.nanolet.wire;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API token as {@code GET /api/v1/tokens} shows it: never its secret.
 *
 * @param createdBy name of the token (or {@code admin}, the bootstrap token) that created it
 * @param expiresAt null for a token that does not expire
 * @param lastUsedAt when it last authenticated a request, to the minute; null if never
 */
public record ApiToken(UUID id, String name, List<Grant> grants, String createdBy, Instant createdAt,
        Instant expiresAt, Instant lastUsedAt) {
    public ApiToken {
        grants = Collections2.list(grants);
    }
}
