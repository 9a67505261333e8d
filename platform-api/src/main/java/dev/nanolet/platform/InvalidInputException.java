package dev.nanolet.platform;

import dev.nanolet.wire.Problem.FieldError;
import java.util.List;

/**
 * The request is well-formed but its content breaks a rule; the API answers 422 with every
 * field at fault, named by JSON path (for example {@code replicas}, {@code limits.memoryMiB}).
 */
public class InvalidInputException extends NanoletException {
    private final List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(errors.size() == 1 ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
