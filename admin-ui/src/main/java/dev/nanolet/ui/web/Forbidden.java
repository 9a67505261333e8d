package dev.nanolet.ui.web;

/**
 * The signed-in token may not use the page asked for (a viewer opening a form that only writes): answered with the 403
 * page platform-api's own refusal gives, before anything is shown that could not be saved.
 */
public final class Forbidden extends RuntimeException {
    /** {@code detail} says what the page needs and what the token has. */
    public Forbidden(String detail) {
        super(detail);
    }
}
