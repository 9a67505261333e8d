package dev.nanolet.platform;

/** The request cannot be served as the server is configured now (a feature needs operator setup); the API answers 503. */
public class UnavailableException extends NanoletException {
    public UnavailableException(String message) {
        super(message);
    }
}
