package dev.nanolet.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Who made a request, as {@link BearerTokenFilter} authenticated it: the admin, the bootstrap
 * token (may only register) or one node by its own credential.
 */
public sealed interface Caller {
    /** The request attribute that holds the caller. */
    String ATTRIBUTE = Caller.class.getName();

    record Admin() implements Caller {}

    record Bootstrap() implements Caller {}

    /** A node, bound to {@code name} by its credential. */
    record Node(String name) implements Caller {}

    /** The caller of the current request; the filter sets it on every {@code /api/} request. */
    static Caller of(HttpServletRequest request) {
        return Optional.ofNullable((Caller) request.getAttribute(ATTRIBUTE))
                .orElseThrow(() -> new IllegalStateException("no authenticated caller"));
    }
}
