package dev.nanolet.wire;

import java.time.Instant;
import java.util.List;

/**
 * Who the calling token is and what it may do ({@code GET /api/v1/tokens/self}): clients such as
 * the dashboard show it and hide what the grants do not allow.
 *
 * @param id the token's id, or the name of a configured token ({@code admin})
 * @param expiresAt null if the token never expires
 */
public record Identity(String id, String name, List<Grant> grants, Instant expiresAt) {
    public Identity {
        grants = Collections2.list(grants);
    }

    /** Whether some grant gives at least {@code role} in {@code namespace} (null: cluster-wide). */
    public boolean may(Role role, String namespace) {
        return grants.stream().anyMatch(g -> g.covers(role, namespace));
    }

    /** Whether some grant gives at least {@code role} anywhere. */
    public boolean mayAnywhere(Role role) {
        return grants.stream().anyMatch(g -> g.role() != null && g.role().includes(role));
    }
}
