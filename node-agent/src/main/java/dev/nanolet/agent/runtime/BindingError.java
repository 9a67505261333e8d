package dev.nanolet.agent.runtime;

import java.util.Locale;

/**
 * Why a host API call failed; the guest sees {@link #code()} (always negative) and can read the
 * message with {@code nanolet.last_error}. The numbers are part of the ABI (docs/bindings.md).
 */
public enum BindingError {
    /** The request is malformed: not JSON, a parameter of an unknown kind, a buffer out of bounds. */
    BAD_REQUEST(-1),
    /** The deployment declares no binding of that name, or of another type. */
    UNDECLARED(-2),
    /** The database cannot be reached now; the request is answered 503 unless the guest succeeds anyway. */
    UNAVAILABLE(-3),
    /** The run's deadline passed before or during the statement; it was cancelled. */
    TIMEOUT(-4),
    /** Above a cap: rows, result bytes, request bytes, key or value size. */
    TOO_LARGE(-5),
    /** The database refused the statement (syntax, constraint, type); the transaction goes on. */
    QUERY_FAILED(-6),
    /** kv: no such key. */
    NOT_FOUND(-7);

    private final int code;

    BindingError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The {@code outcome} tag of a call that answered this ({@code nanolet_binding_calls_seconds}): {@code not_found}. */
    public String outcome() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a call tagged {@code outcome} ({@code ok} or an {@link #outcome()}) counts as a binding's error (the lease's
     * {@code NodeUsage.bindings}, the dashboard's error rate): every error but {@link #NOT_FOUND}, a store's answer that it
     * holds no such key, as a cache's miss is no error of the cache (a counter's first visit of each page is one).
     */
    public static boolean isError(String outcome) {
        return !"ok".equals(outcome) && !NOT_FOUND.outcome().equals(outcome);
    }
}
