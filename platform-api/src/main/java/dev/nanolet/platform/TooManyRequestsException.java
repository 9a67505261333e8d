package dev.nanolet.platform;

/** 429: the caller holds as much of something as it may; {@code retryAfterSeconds}, when set, becomes {@code Retry-After}. */
public class TooManyRequestsException extends NanoletException {
    private final Integer retryAfterSeconds;

    public TooManyRequestsException(String message) {
        this(message, null);
    }

    public TooManyRequestsException(String message, Integer retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which the request may succeed; null when there is nothing to say. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
