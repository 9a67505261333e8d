package dev.nanolet.platform;

import dev.nanolet.wire.Problem.FieldError;
import java.util.List;

/** The request cannot be understood as sent (for example a body that is not a Wasm module); the API answers 400. */
public class BadRequestException extends NanoletException {
    private final List<FieldError> errors;

    public BadRequestException(String message) {
        super(message);
        this.errors = List.of();
    }

    /** 400 with {@code errors} naming the one {@code field} (a parameter, a part) that could not be read. */
    public BadRequestException(String field, String message) {
        super(field + ": " + message);
        this.errors = List.of(new FieldError(field, message));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
