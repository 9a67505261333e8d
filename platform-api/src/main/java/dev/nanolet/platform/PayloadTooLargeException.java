package dev.nanolet.platform;

/** The request body is larger than the platform accepts; the API answers 413. */
public class PayloadTooLargeException extends NanoletException {
    public PayloadTooLargeException(String message) {
        super(message);
    }
}
