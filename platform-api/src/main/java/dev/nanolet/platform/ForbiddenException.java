package dev.nanolet.platform;

/** The caller is authenticated but may not do this (a node acting for another); the API answers 403. */
public class ForbiddenException extends NanoletException {
    public ForbiddenException(String message) {
        super(message);
    }
}
