package dev.nanolet.platform;

/**
 * 503 with {@code Retry-After}: a long request (a rollout wait) ended because the database left its reads unanswered
 * for too long; unlike a plain outage's 503, what the request wrote before stays written, and its message says so.
 */
public class DatabaseUnansweredException extends NanoletException {
    public DatabaseUnansweredException(String message, Throwable cause) {
        super(message, cause);
    }
}
