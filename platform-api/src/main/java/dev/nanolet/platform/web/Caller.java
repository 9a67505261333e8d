package dev.nanolet.platform.web;

import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Who made a request, as {@link BearerTokenFilter} authenticated it: the admin, the bootstrap
 * token (may only register), one node by its own credential, or an API token with its grants.
 */
public sealed interface Caller {
    /** The request attribute that holds the caller. */
    String ATTRIBUTE = Caller.class.getName();

    /** What this caller may do through the public API: the admin is cluster admin; nodes have no grants. */
    List<Grant> grants();

    /** An id for the audit log: the token's id, or the name of the configured token. */
    String id();

    /** A readable name for the audit log and for {@code createdBy}. */
    String name();

    /** When this caller's credential expires; null if never. */
    default Instant expiresAt() {
        return null;
    }

    /** Whether some grant gives at least {@code role} in {@code namespace} (null: cluster-wide). */
    default boolean has(Role role, String namespace) {
        return grants().stream().anyMatch(g -> g.covers(role, namespace));
    }

    /** Whether some grant gives at least {@code role} in any namespace or cluster-wide. */
    default boolean hasAnywhere(Role role) {
        return grants().stream().anyMatch(g -> g.role().includes(role));
    }

    /** The bootstrap admin ({@code NANOLET_ADMIN_TOKEN}). */
    record Admin() implements Caller {
        private static final List<Grant> ALL = List.of(new Grant(Role.admin, null));

        @Override public List<Grant> grants() { return ALL; }
        @Override public String id() { return "admin"; }
        @Override public String name() { return "admin"; }
    }

    record Bootstrap() implements Caller {
        @Override public List<Grant> grants() { return List.of(); }
        @Override public String id() { return "bootstrap"; }
        @Override public String name() { return "bootstrap"; }
    }

    /** A node, bound to {@code name} by its credential. */
    record Node(String name) implements Caller {
        @Override public List<Grant> grants() { return List.of(); }
        @Override public String id() { return "node/" + name; }
    }

    /** An API token created through {@code /api/v1/tokens}. */
    record Token(UUID tokenId, String name, List<Grant> grants, Instant expiresAt) implements Caller {
        public Token {
            grants = List.copyOf(grants);
        }

        @Override public String id() { return tokenId.toString(); }
    }

    /** The caller of the current request; the filter sets it on every {@code /api/} request. */
    static Caller of(HttpServletRequest request) {
        return Optional.ofNullable((Caller) request.getAttribute(ATTRIBUTE))
                .orElseThrow(() -> new IllegalStateException("no authenticated caller"));
    }
}
