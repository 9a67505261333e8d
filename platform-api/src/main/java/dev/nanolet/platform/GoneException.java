package dev.nanolet.platform;

/** The resource version the request resumes from is unknown or too old; the API answers 410 and the client lists again. */
public class GoneException extends NanoletException {
    public GoneException(String message) {
        super(message);
    }
}
