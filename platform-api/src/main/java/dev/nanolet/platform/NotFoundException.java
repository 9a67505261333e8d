package dev.nanolet.platform;

/** The object a request names does not exist; the API answers 404. */
public class NotFoundException extends NanoletException {
    public NotFoundException(String message) {
        super(message);
    }
}
