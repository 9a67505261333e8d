package dev.nanolet.platform;

/** The request clashes with the current state (in use, illegal transition); the API answers 409. */
public class ConflictException extends NanoletException {
    public ConflictException(String message) {
        super(message);
    }
}
