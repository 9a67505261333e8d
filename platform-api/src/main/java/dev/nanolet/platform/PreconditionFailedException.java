package dev.nanolet.platform;

/**
 * A write's {@code If-Match} or {@code If-None-Match} does not hold for the object as it is now; the API answers
 * 412 with the object's current {@code resourceVersion} (null when it does not exist).
 */
public class PreconditionFailedException extends NanoletException {
    private final String current;

    public PreconditionFailedException(String message, String current) {
        super(message);
        this.current = current;
    }

    /** The object's resource version now; null when there is no such object. */
    public String current() {
        return current;
    }
}
