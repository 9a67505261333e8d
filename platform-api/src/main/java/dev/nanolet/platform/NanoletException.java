package dev.nanolet.platform;

/**
 * Root of platform-api's exceptions. Subtypes are named after the failure; the web edge
 * translates each to one RFC 9457 problem, once.
 */
public class NanoletException extends RuntimeException {
    public NanoletException(String message) {
        super(message);
    }

    public NanoletException(String message, Throwable cause) {
        super(message, cause);
    }
}
