package dev.nanolet.platform;

/** The request cannot be understood as sent (for example a body that is not a Wasm module); the API answers 400. */
public class BadRequestException extends NanoletException {
    public BadRequestException(String message) {
        super(message);
    }
}
