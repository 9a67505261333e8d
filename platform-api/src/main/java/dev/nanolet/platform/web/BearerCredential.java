package dev.nanolet.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/** The credential a request presents as {@code Authorization: Bearer <credential>} (the scheme in any case). */
final class BearerCredential {
    private static final String PREFIX = "Bearer ";

    private BearerCredential() {}

    /** The credential of {@code request}; null when it sends none, or another scheme. */
    static String of(HttpServletRequest request) {
        return of(request.getHeader(HttpHeaders.AUTHORIZATION));
    }

    static String of(String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String token = header.substring(PREFIX.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
