package dev.nanolet.platform;

/** The caller holds as many of a bounded resource (watch streams) as it may; the API answers 429. */
public class TooManyRequestsException extends NanoletException {
    public TooManyRequestsException(String message) {
        super(message);
    }
}
