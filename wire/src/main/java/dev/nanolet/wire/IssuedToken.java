package dev.nanolet.wire;

/** Answer of {@code POST /api/v1/tokens}: the secret, shown this once (only its SHA-256 is kept). */
public record IssuedToken(String token, ApiToken info) {}
