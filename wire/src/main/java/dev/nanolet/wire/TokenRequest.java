package dev.nanolet.wire;

import java.util.List;

/**
 * Body of {@code POST /api/v1/tokens}.
 *
 * @param expiresInSeconds lifetime; null for no expiry (refused when the creating token itself expires)
 */
public record TokenRequest(String name, List<Grant> grants, Long expiresInSeconds) {
    public TokenRequest {
        grants = Collections2.list(grants);
    }
}
