package dev.nanolet.platform;

import dev.nanolet.wire.Problem.FieldError;
import java.util.List;

/**
 * The request clashes with the current state (in use, illegal transition, a route another
 * deployment serves); the API answers 409, with the field at fault in {@code errors} when there is one.
 */
public class ConflictException extends NanoletException {
    private final List<FieldError> errors;

    public ConflictException(String message) {
        super(message);
        this.errors = List.of();
    }

    public ConflictException(String field, String message) {
        super(field + ": " + message);
        this.errors = List.of(new FieldError(field, message));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
